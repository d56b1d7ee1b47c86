package org.hpckernel.eval;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

/**
 * Cuts a cell into the snippets JShell evaluates one at a time, keeping each one's position in
 * the cell so errors and stack frames can point at cell lines.
 */
final class SnippetSplitter {
    private SnippetSplitter() {}

    static List<CellSnippet> split(SourceCodeAnalysis analysis, String cell) {
        List<CellSnippet> snippets = new ArrayList<>();
        int offset = 0;
        while (offset < cell.length()) {
            String rest = cell.substring(offset);
            CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY:
                    return snippets;
                case COMPLETE:
                case COMPLETE_WITH_SEMI: {
                    int consumed = rest.length() - info.remaining().length();
                    snippets.add(snippet(info.source(), offset, offset + consumed, true));
                    if (consumed <= 0) {
                        return snippets;
                    }
                    offset += consumed;
                    break;
                }
                default: {
                    // Incomplete or unparsable: hand the rest to JShell as is; its compile
                    // error is the most useful thing to show. (For incomplete input,
                    // remaining() is the input plus a newline, not the rest.)
                    String source = info.source() != null && info.completeness()
                            == SourceCodeAnalysis.Completeness.UNKNOWN ? info.source() : rest;
                    snippets.add(snippet(source, offset, cell.length(), false));
                    int consumed = info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN
                            ? rest.length() - info.remaining().length() : rest.length();
                    if (consumed <= 0 || consumed >= rest.length()) {
                        return snippets;
                    }
                    offset += consumed;
                    break;
                }
            }
        }
        return snippets;
    }

    /**
     * JShell maps stack-frame lines wrongly when a snippet starts with blank lines, so leading
     * whitespace is cut here and accounted for in {@code start}.
     */
    private static CellSnippet snippet(String source, int offset, int end, boolean complete) {
        int lead = 0;
        while (lead < source.length() && Character.isWhitespace(source.charAt(lead))) {
            lead++;
        }
        return new CellSnippet(source.substring(lead), offset + lead, end, complete);
    }
}
