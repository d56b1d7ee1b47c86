package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated job request, scheduler-neutral. Null means "not asked" (the scheduler's default).
 * {@code time} is a duration parsed from sbatch's syntax; {@code memMegabytes} from "4G" etc.;
 * {@code array} is a validated sbatch-style spec ("1-4", "0-15%4", "1,3,5").
 */
public record JobSpec(
        String jobName,
        String cluster,
        String jobDir,
        String partition,
        Duration time,
        String nodes,
        Integer ntasks,
        Integer cpusPerTask,
        Long memMegabytes,
        String gpus,
        String account,
        String qos,
        String array,
        Map<String, String> env,
        List<String> modules) {

    public boolean isArray() {
        return array != null;
    }
}
