package org.hpckernel.hpc.scheduler;


/**
 * Grid Engine's job states as {@code qstat} prints them: a few letters, combined ({@code qw},
 * {@code hqw}, {@code Eqw}, {@code r}, {@code t}, {@code Rr}, {@code dr}, {@code s}, {@code S},
 * {@code T}, {@code hr}, ...). The letters (sge_status(5), qstat(1)): d deleted, E error, h hold,
 * r running, R restarted, s suspended, S queue suspended, t transferring, T threshold (suspended
 * by a load threshold), w waiting, q queued, z zombie (finished, {@code qstat -s z} only).
 * A job that is no longer listed has ended: the caller then reads its files and {@code qacct}.
 */
final class SgeStates {
    private SgeStates() {}

    /** JobState and a short reason for one qstat state string; unknown letters map to UNKNOWN. */
    static JobStatus map(String nativeState, String jobId) {
        String s = nativeState == null ? "" : nativeState.strip();
        if (s.isEmpty() || !s.chars().allMatch(c -> "dEhrRsStTwqz".indexOf(c) >= 0)) {
            return new JobStatus(JobState.UNKNOWN, s.isEmpty() ? null : s, null, null);
        }
        boolean running = s.indexOf('r') >= 0 || s.indexOf('t') >= 0;
        if (s.indexOf('E') >= 0) {
            // Eqw: the job failed to start (unwritable output path, missing shell...) and stays
            // queued in error state until someone clears it: it will not run by itself.
            return new JobStatus(JobState.FAILED, "error state (" + s + "): qstat -j " + jobId
                    + " shows why, qmod -cj " + jobId + " clears it", null, null);
        }
        if (s.indexOf('d') >= 0) {
            return running
                    ? new JobStatus(JobState.RUNNING, "being deleted (" + s + ")", null, null)
                    : new JobStatus(JobState.CANCELLED, "deleted (" + s + ")", null, null);
        }
        if (s.indexOf('z') >= 0) {
            return new JobStatus(JobState.COMPLETED, "finished (" + s + ")", null, null);
        }
        if (s.indexOf('s') >= 0 || s.indexOf('S') >= 0 || s.indexOf('T') >= 0) {
            return new JobStatus(JobState.RUNNING, "suspended (" + s + ")", null, null);
        }
        if (running) {
            String reason = s.equals("r") ? null
                    : s.indexOf('t') >= 0 ? "starting (" + s + ")"
                    : s.indexOf('R') >= 0 ? "restarted (" + s + ")"
                    : s.indexOf('h') >= 0 ? "running, hold set (" + s + ")" : s;
            return new JobStatus(JobState.RUNNING, reason, null, null);
        }
        if (s.indexOf('h') >= 0) {
            return new JobStatus(JobState.PENDING, "held (" + s + ")", null, null);
        }
        if (s.indexOf('w') >= 0 || s.indexOf('q') >= 0) {
            return new JobStatus(JobState.PENDING, s.equals("qw") ? null
                    : s.indexOf('R') >= 0 ? "rescheduled (" + s + ")" : s, null, null);
        }
        return new JobStatus(JobState.UNKNOWN, s, null, null);
    }
}
