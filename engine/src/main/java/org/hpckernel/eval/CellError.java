package org.hpckernel.eval;

import java.util.List;

/**
 * A failed cell, in the shape of a Jupyter error reply.
 *
 * @param ename "CompilationError", "Interrupted", "UnresolvedReferenceException" or the class name
 *     of the exception user code threw
 * @param evalue a one-line description
 * @param traceback lines to show, already pointing at cell lines
 */
public record CellError(String ename, String evalue, List<String> traceback) {
    public static final String COMPILATION_ERROR = "CompilationError";
    public static final String INTERRUPTED = "Interrupted";
    public static final String UNRESOLVED_REFERENCE = "UnresolvedReferenceException";

    public CellError {
        traceback = List.copyOf(traceback);
    }

    static CellError interrupted() {
        return new CellError(INTERRUPTED, "Execution interrupted by the user",
                List.of("Interrupted: Execution interrupted by the user"));
    }
}
