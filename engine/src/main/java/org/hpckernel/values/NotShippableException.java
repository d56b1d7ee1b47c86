package org.hpckernel.values;

/**
 * A value that cannot travel between the kernel and a job (a thread, a stream, a lambda, a
 * connection…). The message names the variable's path, its type, why, and what to do instead.
 */
public final class NotShippableException extends Exception {
    public NotShippableException(String message) {
        super(message);
    }
}
