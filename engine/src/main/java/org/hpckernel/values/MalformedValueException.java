package org.hpckernel.values;

/** A value file that does not decode as the declared type (truncated, wrong type, too deep, too big). */
public final class MalformedValueException extends Exception {
    public MalformedValueException(String message) {
        super(message);
    }

    public MalformedValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
