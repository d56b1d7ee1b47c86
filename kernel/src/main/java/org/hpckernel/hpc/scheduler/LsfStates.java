package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IBM Spectrum LSF 10.1's job states ({@code bjobs} STAT) onto {@link JobState}. A job that ended
 * is {@code DONE} (exit code 0) or {@code EXIT}; for {@code EXIT} the termination reason
 * ({@code exit_reason}, e.g. {@code TERM_RUNLIMIT: job killed after reaching LSF run time limit})
 * tells a time limit, a kill or a memory limit from a failing script. Sources: the LSF 10.1
 * documentation of bjobs (job states), "Termination reasons displayed by bacct, bhist, and bjobs".
 */
final class LsfStates {
    private LsfStates() {}

    private static final Map<String, JobState> STATES = Map.ofEntries(
            Map.entry("PEND", JobState.PENDING),
            Map.entry("PROV", JobState.PENDING),   // waiting for a dynamic host to be provisioned
            Map.entry("PSUSP", JobState.PENDING),  // suspended (held) while pending
            Map.entry("WAIT", JobState.PENDING),   // chunk job member waiting for its turn
            Map.entry("RUN", JobState.RUNNING),
            Map.entry("USUSP", JobState.RUNNING),  // started, suspended by its owner or an admin
            Map.entry("SSUSP", JobState.RUNNING),  // started, suspended by LSF (load, run window)
            Map.entry("DONE", JobState.COMPLETED),
            Map.entry("PDONE", JobState.COMPLETED), // DONE, and its post-execution succeeded
            Map.entry("PERR", JobState.COMPLETED),  // DONE, but its post-execution failed
            Map.entry("EXIT", JobState.FAILED),
            Map.entry("ZOMBI", JobState.NODE_FAIL), // killed or lost while its host is unreachable
            Map.entry("UNKWN", JobState.UNKNOWN));  // mbatchd lost contact with the host

    private static final Set<String> TIME = Set.of("TERM_RUNLIMIT", "TERM_DEADLINE", "TERM_CPULIMIT");
    private static final Set<String> MEMORY = Set.of("TERM_MEMLIMIT", "TERM_SWAP");
    private static final Set<String> KILLED = Set.of("TERM_OWNER", "TERM_ADMIN", "TERM_FORCE_OWNER",
            "TERM_FORCE_ADMIN", "TERM_BUCKET_KILL", "TERM_PREEMPT", "TERM_REQUEUE_OWNER", "TERM_REQUEUE_ADMIN",
            "TERM_MC_RECALL", "TERM_RC_RECLAIM");
    private static final Set<String> HOST = Set.of("TERM_ZOMBIE", "TERM_ORPHAN_SYSTEM", "TERM_LOAD",
            "TERM_CSM_ALLOC", "TERM_KUBE", "TERM_RMS", "TERM_SLURM");

    /** {@code TERM_OWNER} from {@code TERM_OWNER: job killed by owner}; null when there is none. */
    static String termReason(String exitReason) {
        if (exitReason == null) {
            return null;
        }
        String r = exitReason.strip();
        int colon = r.indexOf(':');
        if (colon >= 0) {
            r = r.substring(0, colon).strip();
        }
        return r.isEmpty() || r.equals("-") ? null : r.toUpperCase(Locale.ROOT);
    }

    static JobState map(String stat, String exitReason) {
        String s = stat == null ? "" : stat.strip().toUpperCase(Locale.ROOT);
        JobState state = STATES.getOrDefault(s, JobState.UNKNOWN);
        if (state != JobState.FAILED) {
            return state;
        }
        String term = termReason(exitReason);
        if (term == null) {
            return JobState.FAILED;
        }
        if (TIME.contains(term)) {
            return JobState.TIMEOUT;
        }
        if (MEMORY.contains(term)) {
            return JobState.OUT_OF_MEMORY;
        }
        if (KILLED.contains(term)) {
            return JobState.CANCELLED;
        }
        if (HOST.contains(term)) {
            return JobState.NODE_FAIL;
        }
        return JobState.FAILED;
    }

    /**
     * LSF's own words where the JobState hides them: the pending reason of a pending job, the
     * native state of a suspended one, the termination keyword or the exit code of an ended one.
     */
    static String reason(String stat, String exitReason, String pendReason, Integer exitCode, JobState mapped) {
        String s = stat == null ? "" : stat.strip().toUpperCase(Locale.ROOT);
        switch (mapped) {
            case PENDING:
                String p = pendReason == null ? "" : pendReason.strip();
                while (p.endsWith(";")) {
                    p = p.substring(0, p.length() - 1).strip();
                }
                if (!p.isEmpty() && !p.equals("-")) {
                    return s.equals("PEND") ? p : s + ": " + p;
                }
                return s.equals("PEND") ? null : s;
            case RUNNING:
                return s.equals("RUN") ? null : s;
            case COMPLETED:
                return s.equals("DONE") ? null : s;
            case UNKNOWN:
                return s.isEmpty() ? null : s;
            default:
                String term = termReason(exitReason);
                if (term != null) {
                    return term;
                }
                if (exitCode != null && exitCode != 0) {
                    return "exit code " + exitCode;
                }
                return s.equals("EXIT") ? null : s;
        }
    }
}
