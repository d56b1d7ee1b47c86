package org.hpckernel.eval;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers which cell, and which line of it, each JShell snippet came from. */
final class SnippetOrigins {
    private record Origin(int cellNumber, String cellLabel, int firstLine) {
    }

    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    void record(String snippetId, int cellNumber, String cellLabel, int firstLine) {
        origins.put(snippetId, new Origin(cellNumber, cellLabel, firstLine));
    }

    /**
     * Where line {@code lineInSnippet} of a snippet is: "cell line 3" in the running cell,
     * "cell [2], line 5" in an earlier one.
     */
    String describe(String snippetId, int lineInSnippet, int currentCell) {
        Origin origin = origins.get(snippetId);
        if (origin == null) {
            return "snippet " + snippetId + ", line " + lineInSnippet;
        }
        int line = origin.firstLine() + Math.max(lineInSnippet, 1) - 1;
        return origin.cellNumber() == currentCell ? "cell line " + line : origin.cellLabel() + ", line " + line;
    }
}
