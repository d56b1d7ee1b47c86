package org.hpckernel.hpc.scheduler;

import java.util.Locale;
import java.util.Map;

/**
 * Slurm's job states (long names as {@code squeue %T}/sacct print them, and the short codes of
 * {@code squeue %t}) onto {@link JobState}, and the state of a job array from its tasks' states.
 */
final class SlurmStates {
    private SlurmStates() {}

    /** Long name -> JobState. Every base state and state flag Slurm 22.05 prints. */
    private static final Map<String, JobState> STATES = Map.ofEntries(
            // not started yet
            Map.entry("PENDING", JobState.PENDING),
            Map.entry("CONFIGURING", JobState.PENDING),     // nodes allocated, still booting
            Map.entry("POWER_UP_NODE", JobState.PENDING),   // waiting for powered-down nodes
            Map.entry("REQUEUED", JobState.PENDING),        // will run again
            Map.entry("REQUEUE_HOLD", JobState.PENDING),
            Map.entry("REQUEUE_FED", JobState.PENDING),
            Map.entry("RECONFIG_FAIL", JobState.PENDING),   // node reconfiguration failed: requeued
            Map.entry("RESV_DEL_HOLD", JobState.PENDING),   // held: its reservation was deleted
            // holding its allocation
            Map.entry("RUNNING", JobState.RUNNING),
            Map.entry("COMPLETING", JobState.RUNNING),      // payload done, epilog/cleanup still running
            Map.entry("RESIZING", JobState.RUNNING),
            Map.entry("SIGNALING", JobState.RUNNING),
            Map.entry("STAGE_OUT", JobState.RUNNING),       // burst buffer stage-out after the payload
            Map.entry("SUSPENDED", JobState.RUNNING),       // started, paused; keeps its nodes
            Map.entry("STOPPED", JobState.RUNNING),         // SIGSTOPped, keeps its nodes
            // over
            Map.entry("COMPLETED", JobState.COMPLETED),
            Map.entry("FAILED", JobState.FAILED),
            Map.entry("LAUNCH_FAILED", JobState.FAILED),
            Map.entry("SPECIAL_EXIT", JobState.FAILED),     // requeued held after a "special" exit code
            Map.entry("CANCELLED", JobState.CANCELLED),
            Map.entry("PREEMPTED", JobState.CANCELLED),     // killed by the scheduler for another job
            Map.entry("REVOKED", JobState.CANCELLED),       // federation: a sibling ran elsewhere
            Map.entry("TIMEOUT", JobState.TIMEOUT),
            Map.entry("DEADLINE", JobState.TIMEOUT),        // not done by its --deadline
            Map.entry("OUT_OF_MEMORY", JobState.OUT_OF_MEMORY),
            Map.entry("NODE_FAIL", JobState.NODE_FAIL),
            Map.entry("BOOT_FAIL", JobState.NODE_FAIL));    // its node failed to boot

    /** squeue %t short codes -> long names. */
    private static final Map<String, String> SHORT = Map.ofEntries(
            Map.entry("PD", "PENDING"), Map.entry("CF", "CONFIGURING"), Map.entry("PU", "POWER_UP_NODE"),
            Map.entry("RQ", "REQUEUED"), Map.entry("RH", "REQUEUE_HOLD"), Map.entry("RF", "REQUEUE_FED"),
            Map.entry("RD", "RESV_DEL_HOLD"), Map.entry("R", "RUNNING"), Map.entry("CG", "COMPLETING"),
            Map.entry("RS", "RESIZING"), Map.entry("SI", "SIGNALING"), Map.entry("SO", "STAGE_OUT"),
            Map.entry("S", "SUSPENDED"), Map.entry("ST", "STOPPED"), Map.entry("CD", "COMPLETED"),
            Map.entry("F", "FAILED"), Map.entry("LF", "LAUNCH_FAILED"), Map.entry("SE", "SPECIAL_EXIT"),
            Map.entry("CA", "CANCELLED"), Map.entry("PR", "PREEMPTED"), Map.entry("RV", "REVOKED"),
            Map.entry("TO", "TIMEOUT"), Map.entry("DL", "DEADLINE"), Map.entry("OOM", "OUT_OF_MEMORY"),
            Map.entry("NF", "NODE_FAIL"), Map.entry("BF", "BOOT_FAIL"));

    /**
     * The long state name of what Slurm printed: first word ("CANCELLED by 0" -> CANCELLED),
     * upper case, a trailing "+" (truncation mark) dropped, short codes expanded.
     */
    static String normalize(String nativeState) {
        if (nativeState == null) {
            return "";
        }
        String s = nativeState.strip();
        int space = s.indexOf(' ');
        if (space >= 0) {
            s = s.substring(0, space);
        }
        s = s.toUpperCase(Locale.ROOT);
        while (s.endsWith("+")) {
            s = s.substring(0, s.length() - 1);
        }
        return SHORT.getOrDefault(s, s);
    }

    /** JobState for a Slurm state; anything not known is {@link JobState#UNKNOWN}. */
    static JobState map(String nativeState) {
        return STATES.getOrDefault(normalize(nativeState), JobState.UNKNOWN);
    }

    /** True when the Slurm state says more than its JobState (SUSPENDED shown as RUNNING, ...). */
    static boolean isLossy(String nativeState) {
        String n = normalize(nativeState);
        return !n.isEmpty() && !n.equals(map(n).name());
    }
}
