package org.hpckernel.translate;

import java.util.List;

/** The cell (or a notebook declaration it needs) does not compile; nothing may be submitted. */
public final class CellCompileException extends Exception {
    /**
     * @param where "cell" for the cell body, else the notebook declaration's name
     * @param line 1-based line in the cell body (or in the declaration); column 1-based
     */
    public record Problem(String where, long line, long column, String message, String sourceLine) {}

    private final List<Problem> problems;

    public CellCompileException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
