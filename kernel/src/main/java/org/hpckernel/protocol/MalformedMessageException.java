package org.hpckernel.protocol;

/** A message that cannot be trusted or understood; it is dropped, never executed. */
public final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
        super(message);
    }
}
