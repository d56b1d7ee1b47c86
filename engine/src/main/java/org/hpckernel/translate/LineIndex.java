package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps offsets in a piece of source (a cell, a notebook declaration) to 1-based lines and 0-based
 * columns; used by the session's errors and by the compiled cells' errors alike.
 */
public final class LineIndex {
    private final String text;
    private final int[] lineStarts;

    public LineIndex(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public int lineOf(int offset) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        int low = 0;
        int high = lineStarts.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (lineStarts[mid] <= clamped) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low + 1;
    }

    public int columnOf(int offset) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        return clamped - lineStarts[lineOf(clamped) - 1];
    }

    /** Line {@code line} without its line terminator. */
    public String line(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        String content = text.substring(start, end);
        return content.endsWith("\r") ? content.substring(0, content.length() - 1) : content;
    }

    public int lineCount() {
        return lineStarts.length;
    }

    public int lineStart(int line) {
        return lineStarts[line - 1];
    }

    public String text() {
        return text;
    }
}
