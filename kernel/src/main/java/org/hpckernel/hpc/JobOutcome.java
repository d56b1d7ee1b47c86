package org.hpckernel.hpc;

import java.time.Duration;
import java.util.Map;
import org.hpckernel.hpc.scheduler.JobState;

/**
 * How a job ended. {@code taskExitCodes}: array index → exit code (empty for a plain job);
 * accounting fields are null where the scheduler keeps none.
 */
public record JobOutcome(String jobId, JobState state, Integer exitCode, String reason, String node, Duration elapsed,
        Duration cpuTime, Long maxMemoryBytes, Map<Integer, Integer> taskExitCodes) {

    public boolean succeeded() {
        return state == JobState.COMPLETED && (exitCode == null || exitCode == 0);
    }
}
