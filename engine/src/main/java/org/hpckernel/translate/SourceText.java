package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.List;

/** A piece of user source (a cell body, a notebook declaration) with 1-based line lookups. */
final class SourceText {
    private final String where;
    private final String text;
    private final int[] lineStarts;

    /** @param where how a problem names this text: "cell", or the declaration's name */
    SourceText(String where, String text) {
        this.where = where;
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

    String where() {
        return where;
    }

    String text() {
        return text;
    }

    int lineCount() {
        return lineStarts.length;
    }

    /** 1-based line of {@code offset}. */
    int lineOf(int offset) {
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

    int lineStart(int line) {
        return lineStarts[line - 1];
    }

    /** Line {@code line} without its line terminator. */
    String line(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        String content = text.substring(start, end);
        return content.endsWith("\r") ? content.substring(0, content.length() - 1) : content;
    }
}
