package org.hpckernel.hpc.options;

/**
 * A value that is not acceptable for an option. The message says what is wrong with the value
 * (already quoted) and what is expected, but not where it came from: the cell adds "--time: ",
 * the config loader adds the file, cluster and key.
 */
public final class BadValueException extends Exception {
    public BadValueException(String message) {
        super(message);
    }
}
