package org.hpckernel.hpc.scheduler;

import java.util.List;

/**
 * What a cluster profile says about its scheduler beyond its name: settings a job spec cannot
 * carry because they belong to the site, not to the cell. Null means "not set".
 *
 * @param pbsFlavor PBS Professional or Torque; null: asked of {@code qstat --version} on first use
 * @param sgeParallelEnvironment the Grid Engine parallel environment for multi-CPU jobs
 * @param localSlots how many local jobs run at once (default: the machine's cores)
 * @param extraDirectives raw directive lines for site quirks, checked as directive lines
 */
public record SchedulerSettings(PbsScheduler.Flavor pbsFlavor, String sgeParallelEnvironment, Integer localSlots,
        List<String> extraDirectives) {
    public SchedulerSettings {
        extraDirectives = extraDirectives == null ? List.of() : List.copyOf(extraDirectives);
    }

    public static SchedulerSettings none() {
        return new SchedulerSettings(null, null, null, List.of());
    }
}
