package org.hpckernel.display;

import java.io.IOException;

/**
 * The engine's side of {@link Display}: the process's output capture, which knows the running cell.
 * It is an interface here, implemented by the engine, so the display API depends on nothing above it.
 */
public interface DisplayHost {
    /** Flushes what the cell printed so far (so it stays before the display) and returns the cell's target, or null. */
    DisplayTarget flushAndGetTarget();

    /** True while a cell runs. */
    boolean hasTarget();

    /**
     * One line of input from the cell's frontend.
     *
     * @throws StdinUnavailableException when the frontend allows no input
     */
    String readLine(String prompt, boolean password) throws IOException;
}
