package org.hpckernel.hpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines of a stream of text chunks, in bounded memory whatever the stream's size: at most
 * {@code maxLines} lines of at most {@code maxChars} characters each (a longer line keeps its start
 * and says it was cut). Blank lines are not kept: they would push out the lines that say something.
 * Chunks may end anywhere, also inside a line.
 */
public final class LastLines {
    private final int maxLines;
    private final int maxChars;
    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder open = new StringBuilder();
    private boolean openCut;

    public LastLines(int maxLines, int maxChars) {
        if (maxLines < 1 || maxChars < 1) throw new IllegalArgumentException("bounds must be positive");
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    public synchronized void add(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                close();
            } else if (c != '\r') {
                if (open.length() < maxChars) {
                    open.append(c);
                } else {
                    openCut = true;
                }
            }
        }
    }

    private void close() {
        if (!open.toString().isBlank()) lines.addLast(openCut ? open + " […]" : open.toString());
        if (lines.size() > maxLines) lines.removeFirst();
        open.setLength(0);
        openCut = false;
    }

    /** The last lines, oldest first, with a line still open (no newline yet) at the end. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>(lines);
        if (!open.toString().isBlank()) {
            out.add(openCut ? open + " […]" : open.toString());
            if (out.size() > maxLines) out.remove(0);
        }
        return out;
    }
}
