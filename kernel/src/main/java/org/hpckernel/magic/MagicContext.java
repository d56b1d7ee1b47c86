package org.hpckernel.magic;

import org.hpckernel.eval.CellOutput;
import org.hpckernel.eval.JavaEvaluator;

/** What a magic may use while it runs in a cell. */
public interface MagicContext {
    JavaEvaluator evaluator();

    /** The running cell's output (streams, displays, input). */
    CellOutput output();

    /** Where the cell comes from, when the frontend says: "notebook" (path) and "cellId". */
    java.util.Map<String, String> origin();

    /** What an interrupt does while this magic runs (default: nothing beyond stopping Java code). */
    void onInterrupt(Runnable action);
}
