package org.hpckernel.hpc.scheduler;

import java.util.Collection;

/** The states every scheduler's own states map onto. */
public enum JobState {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, UNKNOWN;

    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL -> true;
            default -> false;
        };
    }

    /**
     * How bad a final state is, for the state of an array whose tasks all ended; 0 for a state that
     * is not final. The order says which outcome the user must act on first: a failure of the
     * payload itself (FAILED: a code fix) before the limits it hit (OUT_OF_MEMORY, TIMEOUT: a larger
     * request), before NODE_FAIL (the cluster's fault: the same job resubmitted will most likely run;
     * ranking it above FAILED would hide a real bug behind one flaky node), before CANCELLED (most
     * often the user's own act), before COMPLETED. One policy for every scheduler, so the same task
     * outcomes give the same array state wherever they ran.
     */
    public int severity() {
        return switch (this) {
            case FAILED -> 6;
            case OUT_OF_MEMORY -> 5;
            case TIMEOUT -> 4;
            case NODE_FAIL -> 3;
            case CANCELLED -> 2;
            case COMPLETED -> 1;
            default -> 0;
        };
    }

    /**
     * The state of a whole array (or any job made of parts) from its tasks' states: any task
     * running -> RUNNING; else any pending (tasks still to come) -> PENDING; else any unknown ->
     * UNKNOWN; else (all over) the worst of them by {@link #severity}. No tasks -> UNKNOWN.
     */
    public static JobState ofArray(Collection<JobState> tasks) {
        if (tasks.isEmpty()) {
            return UNKNOWN;
        }
        for (JobState s : new JobState[] {RUNNING, PENDING, UNKNOWN}) {
            if (tasks.contains(s)) {
                return s;
            }
        }
        JobState worst = COMPLETED;
        for (JobState s : tasks) {
            if (s.severity() > worst.severity()) {
                worst = s;
            }
        }
        return worst;
    }
}
