package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

/**
 * Cuts a cell body into the snippets JShell would run one by one, with JShell's own analysis, and
 * keeps each snippet's place in the cell (and the comments before it) so nothing of the user's
 * text is lost.
 */
final class CellSplitter {
    /** JShell is only used to find snippet boundaries; one instance, created on first use, is enough. */
    private static JShell analysisShell;

    private CellSplitter() {}

    static List<CellChunk> split(String cell) {
        return withTrailingComments(cell, chunks(cell));
    }

    private static List<CellChunk> chunks(String cell) {
        List<CellChunk> chunks = new ArrayList<>();
        int offset = 0;
        while (offset < cell.length()) {
            String rest = cell.substring(offset);
            CompletionInfo info = analyze(rest);
            switch (info.completeness()) {
                case EMPTY -> {
                    addTrivia(chunks, cell, offset, cell.length());
                    return chunks;
                }
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    int consumed = rest.length() - info.remaining().length();
                    if (consumed <= 0) {
                        add(chunks, cell, offset, cell.length(), rest, false);
                        return chunks;
                    }
                    add(chunks, cell, offset, offset + consumed, info.source(),
                            info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI);
                    offset += consumed;
                }
                default -> {
                    // Incomplete or unparsable: javac's error on the text as written is the most useful.
                    boolean unknown = info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN;
                    int consumed = unknown ? rest.length() - info.remaining().length() : rest.length();
                    if (consumed <= 0 || consumed >= rest.length()) {
                        add(chunks, cell, offset, cell.length(), rest, false);
                        return chunks;
                    }
                    add(chunks, cell, offset, offset + consumed, unknown && info.source() != null ? info.source() : rest, false);
                    offset += consumed;
                }
            }
        }
        return chunks;
    }

    private static void add(List<CellChunk> chunks, String cell, int start, int end, String parseSource, boolean needsSemicolon) {
        int codeStart = skipTrivia(cell, start, end);
        if (codeStart >= end) {
            addTrivia(chunks, cell, start, end);
            return;
        }
        int codeEnd = end;
        while (codeEnd > codeStart && Character.isWhitespace(cell.charAt(codeEnd - 1))) {
            codeEnd--;
        }
        chunks.add(new CellChunk(start, codeStart, codeEnd, end, parseSource, needsSemicolon, ""));
    }

    /**
     * JShell starts the next snippet right after a ';', so a comment at the end of a line would
     * open the next snippet; it is given back to the code it follows.
     */
    private static List<CellChunk> withTrailingComments(String cell, List<CellChunk> chunks) {
        List<CellChunk> result = new ArrayList<>();
        for (CellChunk chunk : chunks) {
            CellChunk previous = result.isEmpty() ? null : result.get(result.size() - 1);
            int newline = cell.indexOf('\n', chunk.start());
            int lineEnd = newline < 0 ? cell.length() : newline;
            String head = cell.substring(chunk.start(), lineEnd);
            if (previous != null && !previous.commentOnly() && previous.trailingComment().isEmpty()
                    && head.stripLeading().startsWith("//") && lineEnd <= chunk.codeStart()
                    && cell.substring(previous.codeEnd(), chunk.start()).indexOf('\n') < 0) {
                String comment = cell.substring(previous.codeEnd(), lineEnd).stripTrailing();
                result.set(result.size() - 1, new CellChunk(previous.start(), previous.codeStart(), previous.codeEnd(),
                        lineEnd, previous.parseSource(), previous.needsSemicolon(), comment));
                int start = Math.min(lineEnd + 1, chunk.end());
                if (!cell.substring(start, chunk.end()).isBlank()) {
                    result.add(new CellChunk(start, Math.max(start, chunk.codeStart()), Math.max(start, chunk.codeEnd()),
                            chunk.end(), chunk.parseSource(), chunk.needsSemicolon(), chunk.trailingComment()));
                }
            } else {
                result.add(chunk);
            }
        }
        return result;
    }

    private static void addTrivia(List<CellChunk> chunks, String cell, int start, int end) {
        if (!cell.substring(start, end).isBlank()) {
            chunks.add(new CellChunk(start, end, end, end, "", false, ""));
        }
    }

    /** The first offset in {@code [from, end)} that is neither white space nor inside a comment. */
    static int skipTrivia(String text, int from, int end) {
        int i = from;
        while (i < end) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("//", i)) {
                int newline = text.indexOf('\n', i);
                i = newline < 0 || newline > end ? end : newline + 1;
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 || close + 2 > end ? end : close + 2;
            } else {
                return i;
            }
        }
        return end;
    }

    private static CompletionInfo analyze(String source) {
        synchronized (CellSplitter.class) {
            if (analysisShell == null) {
                // In-process execution: nothing runs here, and no second JVM is started for it.
                analysisShell = JShell.builder().executionEngine("local").build();
            }
            return analysisShell.sourceCodeAnalysis().analyzeCompletion(source);
        }
    }

    /**
     * One snippet of the cell.
     *
     * @param start where its text begins (comments before the code included)
     * @param codeStart where its code begins
     * @param codeEnd just after its code (trailing white space excluded)
     * @param end where the next chunk begins
     * @param parseSource the snippet as JShell completed it (a missing ';' added); empty for comments only
     * @param needsSemicolon true when the user left out the final ';'
     * @param trailingComment a comment after the code on its last line, with the spaces before it; or ""
     */
    record CellChunk(int start, int codeStart, int codeEnd, int end, String parseSource, boolean needsSemicolon,
            String trailingComment) {
        boolean commentOnly() {
            return codeStart == codeEnd;
        }
    }
}
