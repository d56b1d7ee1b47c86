package org.hpckernel.hpc.scheduler;

/**
 * A scheduler refused or failed a command. The message is what the user sees: the scheduler's own
 * words, verbatim, plus (where it can be told) the %%hpc option that caused it.
 */
public class SchedulerException extends Exception {
    private final boolean transientFailure;

    public SchedulerException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** True for "try again later" failures (controller unreachable, timeouts): never a job failure. */
    public boolean isTransient() {
        return transientFailure;
    }
}
