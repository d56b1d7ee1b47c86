package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.List;

/** Grid Engine, spoken through {@link SgeDialect}. */
public final class SgeScheduler extends GridScheduler {
    /** Without a parallel environment: single-slot jobs only. */
    public SgeScheduler() {
        this(null);
    }

    /**
     * @param parallelEnvironment the site's parallel environment for multi-CPU jobs ({@code smp},
     *     {@code threads}, ...), ideally one with {@code allocation_rule $pe_slots}; null for none
     */
    public SgeScheduler(String parallelEnvironment) {
        this(parallelEnvironment, List.of());
    }

    /** @param extraDirectives the profile's raw {@code #$} lines */
    public SgeScheduler(String parallelEnvironment, List<String> extraDirectives) {
        super(new SgeDialect(parallelEnvironment), extraDirectives);
    }

    static List<String> arrayDirectives(String array) throws UnsupportedOptionException {
        return SgeDialect.arrayDirectives(array);
    }

    static String jobName(String name) {
        return new SgeDialect(null).submittedName(name);
    }

    static String hms(Duration limit) {
        return SgeDialect.hms(limit);
    }

    static String hint(String text, JobSpec spec) {
        return Refusal.hint(SgeDialect.REFUSALS, text, spec);
    }
}
