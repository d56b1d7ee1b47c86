package org.hpckernel.eval;

import java.io.IOException;
import org.hpckernel.display.DisplayTarget;
import org.hpckernel.display.StdinUnavailableException;

/**
 * Where the side effects of a running cell go. The kernel publishes them on IOPub; the remote
 * runner appends them to the job's events file. Implementations must be thread-safe: threads a
 * cell starts may call in concurrently.
 */
public interface CellOutput extends DisplayTarget {
    /** A coalesced chunk of text for {@code "stdout"} or {@code "stderr"}. */
    void stream(String name, String text);

    /**
     * One line of user input (without the newline).
     *
     * @throws StdinUnavailableException when the frontend does not allow input
     */
    String readLine(String prompt, boolean password) throws IOException;

    /** False when {@link #readLine} certainly cannot reach a person (the frontend has no stdin). */
    default boolean canAsk() {
        return true;
    }
}
