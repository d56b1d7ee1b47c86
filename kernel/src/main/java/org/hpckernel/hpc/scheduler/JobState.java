package org.hpckernel.hpc.scheduler;

/** The states every scheduler's own states map onto. */
public enum JobState {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, UNKNOWN;

    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL -> true;
            default -> false;
        };
    }
}
