package org.hpckernel.hpc.scheduler;

import java.util.List;

/** Slurm, spoken through {@link SlurmDialect}. */
public final class SlurmScheduler extends GridScheduler {
    public SlurmScheduler() {
        this(List.of());
    }

    /** @param extraDirectives the profile's raw {@code #SBATCH} lines */
    public SlurmScheduler(List<String> extraDirectives) {
        super(new SlurmDialect(), extraDirectives);
    }

    /** The %%hpc option an sbatch refusal is about ("--partition debugx"), or null. */
    static String hint(String text, JobSpec spec) {
        return Refusal.hint(SlurmDialect.REFUSALS, text, spec);
    }
}
