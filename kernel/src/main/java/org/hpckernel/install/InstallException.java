package org.hpckernel.install;

/** The command line was fine but the work could not be done; the command prints it and exits 1. */
public final class InstallException extends Exception {
    public InstallException(String message) {
        super(message);
    }

    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
