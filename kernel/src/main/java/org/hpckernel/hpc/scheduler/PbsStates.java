package org.hpckernel.hpc.scheduler;

import java.util.Map;

/**
 * PBS job states (qstat(1B) of PBS Pro/OpenPBS and Torque) and exit statuses onto {@link JobState}.
 *
 * <p>States: Q queued, H held, W waiting for its start time, T in transit, M moved to another
 * server, R running, E exiting, S / U suspended, B array begun (some subjob ran), and the ended
 * ones: F finished (PBS Pro, shown with {@code -x}), X subjob expired (PBS Pro), C completed
 * (Torque, kept for {@code keep_completed} seconds).
 *
 * <p>How an ended job ended comes from its exit status. PBS Pro: negative values are PBS's own
 * (job.h: -29 JOB_EXEC_KILL_WALLTIME, -27/-26 memory, -28 cput, -24/-25 ncpus, -1..-23 could not
 * start); 256 + N means killed by signal N; substate 91 (terminated) marks a job deleted with qdel,
 * 92 finished, 93 failed. Older PBS Pro and Torque have no walltime code: a job that used its whole
 * walltime and did not exit 0 is TIMEOUT. Torque records no deletion either: a Torque job killed by
 * a signal (or by the batch script's TERM trap, exit 143) that was not over its walltime was
 * deleted (CANCELLED). A job that ended without any exit status never ran: it was deleted while
 * queued.
 */
final class PbsStates {
    private PbsStates() {}

    /** PBS Pro's own negative exit statuses (src/include/job.h). */
    private static final Map<Integer, String> EXEC_CODES = Map.ofEntries(
            Map.entry(-1, "JOB_EXEC_FAIL1: could not start, before files"),
            Map.entry(-2, "JOB_EXEC_FAIL2: could not start, after files"),
            Map.entry(-3, "JOB_EXEC_RETRY: could not start, will retry"),
            Map.entry(-4, "JOB_EXEC_INITABT: aborted on MoM initialisation"),
            Map.entry(-10, "JOB_EXEC_FAILUID: invalid uid/gid for job"),
            Map.entry(-11, "JOB_EXEC_RERUN: job rerun"),
            Map.entry(-13, "JOB_EXEC_FAIL_PASSWORD: bad password"),
            Map.entry(-15, "JOB_EXEC_QUERST: requeued for restart"),
            Map.entry(-16, "JOB_EXEC_FAILHOOK_RERUN: a hook rejected the job, requeued"),
            Map.entry(-17, "JOB_EXEC_FAILHOOK_DELETE: a hook rejected the job"),
            Map.entry(-19, "JOB_EXEC_HOOK_DELETE: a hook deleted the job"),
            Map.entry(-20, "JOB_EXEC_RERUN_MS_FAIL: mother superior connection failed"),
            Map.entry(-22, "JOB_EXEC_HOOKERROR: hook error"),
            Map.entry(-24, "JOB_EXEC_KILL_NCPUS_BURST: used more CPUs than requested"),
            Map.entry(-25, "JOB_EXEC_KILL_NCPUS_SUM: used more CPUs than requested"),
            Map.entry(-26, "JOB_EXEC_KILL_VMEM: exceeded its vmem"),
            Map.entry(-27, "JOB_EXEC_KILL_MEM: exceeded its mem"),
            Map.entry(-28, "JOB_EXEC_KILL_CPUT: exceeded its cput"),
            Map.entry(-29, "JOB_EXEC_KILL_WALLTIME: exceeded its walltime"));

    static final int SUBSTATE_TERMINATED = 91;

    /** State of one job or subjob record. */
    static JobStatus map(PbsQstat.Job job, PbsScheduler.Flavor flavor) {
        String s = job.state() == null ? "" : job.state().strip();
        String node = job.nodes();
        return switch (s) {
            case "Q" -> new JobStatus(JobState.PENDING, pendingReason(job.comment()), null, null);
            case "H" -> new JobStatus(JobState.PENDING, "held", null, null);
            case "W" -> new JobStatus(JobState.PENDING, "waiting for its start time", null, null);
            case "T" -> new JobStatus(JobState.PENDING, "in transit", null, null);
            case "R" -> new JobStatus(JobState.RUNNING, null, node, null);
            case "E" -> new JobStatus(JobState.RUNNING, "exiting", node, null);
            case "S", "U" -> new JobStatus(JobState.RUNNING, "suspended", node, null);
            case "B" -> new JobStatus(JobState.RUNNING, "array begun", node, null);
            case "M" -> new JobStatus(JobState.UNKNOWN, "moved to another server", null, null);
            case "F", "X", "C" -> ended(job, flavor);
            default -> new JobStatus(JobState.UNKNOWN, s.isEmpty() ? null : s, node, null);
        };
    }

    /** "Not Running: Insufficient amount of resource: ncpus" -> that text; none for plain queued. */
    private static String pendingReason(String comment) {
        return comment == null || comment.isBlank() ? null : comment.strip();
    }

    static JobStatus ended(PbsQstat.Job job, PbsScheduler.Flavor flavor) {
        Integer e = job.exitStatus();
        String node = job.nodes();
        if (job.array() && job.parentId() == null && flavor == PbsScheduler.Flavor.PRO) {
            // an array's own record (subjobs not listed): 0 all subjobs exited 0, 1 some did not,
            // 2 some were deleted or requeued (PBS Professional User's Guide, "Job Array Exit Status")
            if (e == null || e == 2) {
                return new JobStatus(JobState.CANCELLED, "subjobs deleted", node, e);
            }
            return e == 0 ? new JobStatus(JobState.COMPLETED, null, node, 0)
                    : new JobStatus(JobState.FAILED, "a subjob failed", node, e);
        }
        if (e == null) {
            return new JobStatus(JobState.CANCELLED, "deleted before it ran", node, null);
        }
        if (e < 0) {
            String what = EXEC_CODES.getOrDefault(e, "PBS could not run the job");
            JobState state = switch (e) {
                case -29, -28 -> JobState.TIMEOUT;
                case -27, -26 -> JobState.OUT_OF_MEMORY;
                default -> JobState.FAILED;
            };
            return new JobStatus(state, "Exit_status " + e + " (" + what + ")", node, null);
        }
        Integer shellCode = e >= 256 ? 128 + (e - 256) : e;
        if (flavor == PbsScheduler.Flavor.PRO && job.substate() != null
                && job.substate() == SUBSTATE_TERMINATED && e != 0) {
            return new JobStatus(JobState.CANCELLED, "deleted (qdel)", node, shellCode);
        }
        if (e == 0) {
            return new JobStatus(JobState.COMPLETED, null, node, 0);
        }
        if (overWalltime(job)) {
            return new JobStatus(JobState.TIMEOUT, "walltime " + hms(job.walltimeLimit()) + " exceeded", node,
                    shellCode);
        }
        boolean killed = e >= 256 || e == 143 || e == 137;
        if (flavor == PbsScheduler.Flavor.TORQUE && killed) {
            return new JobStatus(JobState.CANCELLED, "killed by signal " + (e >= 256 ? e - 256 : e - 128)
                    + " (qdel or a limit)", node, shellCode);
        }
        if (e >= 256) {
            return new JobStatus(JobState.FAILED, "killed by signal " + (e - 256), node, shellCode);
        }
        return new JobStatus(JobState.FAILED, "exit status " + e, node, e);
    }

    static boolean overWalltime(PbsQstat.Job job) {
        return job.walltimeLimit() != null && job.walltimeUsed() != null
                && job.walltimeUsed().compareTo(job.walltimeLimit()) >= 0;
    }

    private static String hms(java.time.Duration d) {
        long s = d.getSeconds();
        return String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    /** Signal that killed a job, from a PBS exit status (256 + N), or null. */
    static Integer signal(Integer exitStatus) {
        return exitStatus != null && exitStatus > 256 && exitStatus < 256 + 65 ? exitStatus - 256 : null;
    }
}
