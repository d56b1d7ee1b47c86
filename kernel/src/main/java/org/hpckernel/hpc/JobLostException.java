package org.hpckernel.hpc;

/**
 * A job's cell stopped following it without knowing how it ended (the cluster stayed unreachable,
 * its status command fails for good, following it failed). The job itself may still run.
 */
public final class JobLostException extends Exception {
    public JobLostException(String message) {
        super(message);
    }
}
