package org.hpckernel.display;

import java.io.IOException;

/** Thrown when a cell asks for input but its frontend (nbclient, papermill, a batch job) has none. */
public final class StdinUnavailableException extends IOException {
    public StdinUnavailableException(String message) {
        super(message);
    }
}
