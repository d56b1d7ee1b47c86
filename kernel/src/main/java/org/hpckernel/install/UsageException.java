package org.hpckernel.install;

/** A command line the installer cannot act on; the command prints it with the usage and exits 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
