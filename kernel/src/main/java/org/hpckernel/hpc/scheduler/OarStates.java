package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OAR 2.5's job states onto {@link JobState}. OAR ends every job in one of two states:
 * {@code Terminated} (the script ran to its end, whatever its exit code) or {@code Error} (it was
 * deleted, ran out of walltime, or OAR could not run it). The job's events tell those apart:
 * a walltime kill logs {@code WALLTIME} (and also {@code FRAG_JOB_REQUEST}, since sarko deletes
 * the job the same way oardel does), oardel logs {@code FRAG_JOB_REQUEST} alone.
 */
final class OarStates {
    private OarStates() {}

    /** Every state of OAR 2.5 (oarstat's own table) that is not final. */
    private static final Map<String, JobState> LIVE = Map.ofEntries(
            Map.entry("Waiting", JobState.PENDING),
            Map.entry("Hold", JobState.PENDING),              // oarsub --hold, or oarhold
            Map.entry("toAckReservation", JobState.PENDING),  // advance reservation being validated
            Map.entry("toLaunch", JobState.PENDING),          // resources assigned, not started yet
            Map.entry("Launching", JobState.PENDING),         // oarexec being started on the node
            Map.entry("Running", JobState.RUNNING),
            Map.entry("Suspended", JobState.RUNNING),         // started, paused; keeps its resources
            Map.entry("Resuming", JobState.RUNNING),
            Map.entry("Finishing", JobState.RUNNING));        // script over, epilogue running

    /** Events that mean OAR lost the node or could not start the job there. */
    private static final Set<String> NODE_EVENTS = Set.of(
            "PING_CHECKER_NODE_SUSPECTED", "PING_CHECKER_NODE_SUSPECTED_END_JOB", "CPUSET_ERROR",
            "PROLOGUE_ERROR", "CANNOT_WRITE_NODE_FILE", "CANNOT_WRITE_PID_FILE", "CANNOT_CREATE_TMP_DIRECTORY",
            "LAUNCHING_OAREXEC_TIMEOUT", "SSH_TRANSFER_TIMEOUT", "BAD_HASHTABLE_DUMP", "EXIT_VALUE_OAREXEC",
            "EXTERMINATE_JOB", "RESERVATION_NO_NODE", "USER_SHELL");

    /** A job as far as its state goes: OAR's state name, its event types in order, its raw exit status. */
    record Seen(String state, List<String> events, Integer exitStatus) {}

    static JobState map(Seen job) {
        String s = job.state() == null ? "" : job.state().strip();
        JobState live = LIVE.get(s);
        if (live != null) {
            return live;
        }
        switch (s) {
            case "Terminated":
                return job.exitStatus() == null || job.exitStatus() == 0 ? JobState.COMPLETED : JobState.FAILED;
            case "Error":
            case "toError": // on its way to Error: its events are already logged
                if (job.events().contains("WALLTIME")) {
                    return JobState.TIMEOUT;
                }
                if (job.events().contains("FRAG_JOB_REQUEST") || job.events().contains("BESTEFFORT_KILL")) {
                    return JobState.CANCELLED;
                }
                for (String e : job.events()) {
                    if (NODE_EVENTS.contains(e)) {
                        return JobState.NODE_FAIL;
                    }
                }
                return JobState.FAILED;
            default:
                return JobState.UNKNOWN;
        }
    }

    /**
     * Why the job is where it is, in OAR's words: the native state when the JobState hides it
     * (Hold, Launching, Suspended, ...), the deciding event for a job that ended in Error, the
     * exit status of a failed one; null when the JobState says it all.
     */
    static String reason(Seen job, JobState mapped) {
        String s = job.state() == null ? "" : job.state().strip();
        if (s.equals("Error") || s.equals("toError")) {
            switch (mapped) {
                case TIMEOUT:
                    return "WALLTIME";
                case CANCELLED:
                    return job.events().contains("FRAG_JOB_REQUEST") ? "FRAG_JOB_REQUEST" : "BESTEFFORT_KILL";
                case NODE_FAIL:
                    for (String e : job.events()) {
                        if (NODE_EVENTS.contains(e)) {
                            return e;
                        }
                    }
                    return s;
                default:
                    return job.events().isEmpty() ? s : s + " (" + String.join(", ", job.events()) + ")";
            }
        }
        if (s.equals("Terminated")) {
            Integer code = exitCode(job.exitStatus());
            Integer signal = signal(job.exitStatus());
            if (signal != null && signal != 0) {
                return "killed by signal " + signal;
            }
            return code != null && code != 0 ? "exit code " + code : null;
        }
        if (s.equals("Waiting") || s.equals("Running") || s.isEmpty()) {
            return null;
        }
        return s;
    }

    /** The exit code from OAR's raw wait status ({@code exit_code = 768} is exit 3). */
    static Integer exitCode(Integer rawStatus) {
        return rawStatus == null ? null : (rawStatus >> 8) & 0xff;
    }

    /** The signal that killed the script, 0 when it exited by itself. */
    static Integer signal(Integer rawStatus) {
        return rawStatus == null ? null : rawStatus & 127;
    }
}
