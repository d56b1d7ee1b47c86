package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The profile's "scheduler" name → the class that speaks to it. */
public final class Schedulers {
    private static final Map<String, Supplier<Scheduler>> KNOWN = Map.of(
            "local", LocalScheduler::new,
            "slurm", SlurmScheduler::new,
            "oar", OarScheduler::new,
            "sge", SgeScheduler::new,
            "pbs", PbsScheduler::new,
            "lsf", LsfScheduler::new);

    private Schedulers() {}

    public static Scheduler create(String name) {
        Supplier<Scheduler> s = KNOWN.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no scheduler \"" + name + "\" in this build; known: " + List.copyOf(KNOWN.keySet()));
        }
        return s.get();
    }
}
