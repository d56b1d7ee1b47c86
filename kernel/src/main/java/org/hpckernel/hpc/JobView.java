package org.hpckernel.hpc;

import java.time.Duration;
import java.util.Map;
import org.hpckernel.hpc.scheduler.JobState;

/**
 * A job as a status line shows it. {@code taskStates} counts array tasks per state (empty for a
 * plain job). {@code connection} is non-null while the cluster cannot be reached.
 */
public record JobView(String jobId, String cluster, JobState state, String reason, String node, Duration elapsed,
        Map<JobState, Integer> taskStates, String connection) {}
