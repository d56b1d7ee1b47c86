package org.hpckernel.export;

/** The notebook cannot be exported as asked; the message says what was wrong and how to fix it. */
public final class ExportException extends Exception {
    public ExportException(String message) {
        super(message);
    }
}
