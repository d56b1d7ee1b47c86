package org.hpckernel.maven;

/** Dependencies that could not be resolved, or bad input; the message is for the user. */
public final class ResolutionException extends Exception {
    public ResolutionException(String message) {
        super(message);
    }

    public ResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
