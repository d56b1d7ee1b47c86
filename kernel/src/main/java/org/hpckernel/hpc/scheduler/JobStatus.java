package org.hpckernel.hpc.scheduler;

/**
 * One job as the scheduler reports it. {@code reason}: why it pends or ended (scheduler's words,
 * e.g. "Resources", "TimeLimit"); {@code node}: where it runs; {@code exitCode}: when known.
 */
public record JobStatus(JobState state, String reason, String node, Integer exitCode) {
    public static JobStatus of(JobState state) {
        return new JobStatus(state, null, null, null);
    }
}
