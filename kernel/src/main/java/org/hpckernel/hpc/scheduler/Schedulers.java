package org.hpckernel.hpc.scheduler;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * The schedulers this build speaks, by the profile's "scheduler" name: the one list both the
 * profile reader (which names are valid) and the session (which class to build) use.
 */
public final class Schedulers {
    /** Runs a command on the cluster side, for what must be asked before a scheduler can be built. */
    @FunctionalInterface
    public interface Probe {
        CommandResult run(List<String> argv) throws IOException;
    }

    @FunctionalInterface
    private interface Factory {
        Scheduler create(SchedulerSettings settings, Probe probe) throws IOException, SchedulerException;
    }

    private record Known(String name, Factory factory) {}

    private static final List<Known> KNOWN = List.of(
            new Known("slurm", (s, probe) -> new SlurmScheduler(s.extraDirectives())),
            new Known("local", (s, probe) -> {
                if (!s.extraDirectives().isEmpty()) {
                    throw new IllegalArgumentException("extraDirectives: the local backend runs no batch scheduler, so "
                            + "there is nothing to give directive lines to; remove \"extraDirectives\"");
                }
                return s.localSlots() == null ? new LocalScheduler() : new LocalScheduler(s.localSlots());
            }),
            new Known("pbs", (s, probe) -> new PbsScheduler(
                    s.pbsFlavor() != null ? s.pbsFlavor() : pbsFlavor(probe), s.extraDirectives())),
            new Known("oar", (s, probe) -> new OarScheduler(s.extraDirectives())),
            new Known("sge", (s, probe) -> new SgeScheduler(s.sgeParallelEnvironment(), s.extraDirectives())),
            new Known("lsf", (s, probe) -> new LsfScheduler(s.extraDirectives())));

    private Schedulers() {}

    /** The valid "scheduler" names, in the order messages list them. */
    public static List<String> names() {
        return KNOWN.stream().map(Known::name).toList();
    }

    /** With no profile settings (PBS: Professional). */
    public static Scheduler create(String name) {
        try {
            return create(name, new SchedulerSettings(PbsScheduler.Flavor.PRO, null, null, List.of()), null);
        } catch (IOException | SchedulerException e) {
            throw new IllegalStateException("nothing to ask without a probe", e);
        }
    }

    /**
     * The scheduler for a profile's name and settings. {@code probe} runs commands on the cluster
     * for what the settings leave open (the PBS flavor); null when nothing may be asked.
     *
     * @throws IllegalArgumentException for an unknown name or a setting the scheduler refuses
     * @throws IOException when the probe could not run
     * @throws SchedulerException when the cluster's answer does not tell what was asked
     */
    public static Scheduler create(String name, SchedulerSettings settings, Probe probe)
            throws IOException, SchedulerException {
        for (Known k : KNOWN) {
            if (k.name().equals(name)) {
                return k.factory().create(settings, probe);
            }
        }
        throw new IllegalArgumentException("no scheduler \"" + name + "\" in this build; known: " + names());
    }

    /**
     * Checks a profile's settings for that scheduler without asking the cluster anything.
     *
     * @throws IllegalArgumentException naming what is wrong (an extra directive line that is not
     *     one of this scheduler's, a parallel environment name that is not a plain word, ...)
     */
    public static void check(String name, SchedulerSettings settings) {
        SchedulerSettings offline = settings.pbsFlavor() != null ? settings
                : new SchedulerSettings(PbsScheduler.Flavor.PRO, settings.sgeParallelEnvironment(),
                        settings.localSlots(), settings.extraDirectives());
        try {
            create(name, offline, null);
        } catch (IOException | SchedulerException e) {
            throw new IllegalStateException("nothing to ask without a probe", e);
        }
    }

    /** PBS Professional or Torque, as {@code qstat --version} tells. */
    private static PbsScheduler.Flavor pbsFlavor(Probe probe) throws IOException, SchedulerException {
        if (probe == null) {
            throw new IllegalArgumentException("the PBS flavor is not set and cannot be asked here; set "
                    + "\"pbs\": {\"flavor\": \"pro\"} or {\"flavor\": \"torque\"} in the cluster profile");
        }
        CommandResult r = probe.run(List.of("qstat", "--version"));
        Optional<PbsScheduler.Flavor> flavor = PbsScheduler.Flavor.fromVersion(r);
        if (flavor.isEmpty()) {
            String said = (r.stdout().strip() + " " + r.stderr().strip()).strip();
            throw new SchedulerException("cannot tell PBS Professional from Torque: \"qstat --version\" "
                    + (r.timedOut() ? "did not answer in time" : "printed " + (said.isEmpty() ? "nothing" : "\"" + said + "\""))
                    + "; set \"pbs\": {\"flavor\": \"pro\"} or {\"flavor\": \"torque\"} in the cluster profile",
                    r.timedOut());
        }
        return flavor.get();
    }
}
