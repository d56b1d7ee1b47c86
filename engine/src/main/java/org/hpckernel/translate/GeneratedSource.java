package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated Java file that remembers, line by line, which user text each line was copied from,
 * so a javac diagnostic can point at the cell's (or the declaration's) own line and column.
 */
final class GeneratedSource {
    /**
     * @param source the user text the line came from
     * @param line 1-based line in {@code source}, or 0 when the line was generated on its behalf
     * @param columnDelta 0-based column in {@code source} minus 0-based column in the generated line
     */
    private record Origin(SourceText source, int line, int columnDelta) {}

    /** Where a position of the generated file is in user text; line and column 1-based, 0 if none. */
    record Located(SourceText source, int line, int column) {
        String sourceLine() {
            return line > 0 ? source.line(line) : source.line(1);
        }
    }

    private final String fileName;
    private final String text;
    private final List<Origin> origins;
    private final SourceText lines;

    private GeneratedSource(String fileName, String text, List<Origin> origins) {
        this.fileName = fileName;
        this.text = text;
        this.origins = origins;
        this.lines = new SourceText(fileName, text);
    }

    String fileName() {
        return fileName;
    }

    String text() {
        return text;
    }

    /** The user text behind {@code offset}, or null when the line was generated from nothing. */
    Located locate(long offset) {
        int line = lines.lineOf((int) offset);
        Origin origin = line - 1 < origins.size() ? origins.get(line - 1) : null;
        if (origin == null) {
            return null;
        }
        if (origin.line() == 0) {
            return new Located(origin.source(), 0, 0);
        }
        int column = (int) offset - lines.lineStart(line) + origin.columnDelta();
        int length = origin.source().line(origin.line()).length();
        return new Located(origin.source(), origin.line(), Math.max(0, Math.min(column, length)) + 1);
    }

    /** For each generated line (1-based) copied from user text: where it came from, and its line there. */
    Map<Integer, Located> userLines() {
        Map<Integer, Located> copied = new TreeMap<>();
        for (int i = 0; i < origins.size(); i++) {
            Origin origin = origins.get(i);
            if (origin != null && origin.line() > 0) {
                copied.put(i + 1, new Located(origin.source(), origin.line(), 0));
            }
        }
        return copied;
    }

    static Builder builder(String fileName) {
        return new Builder(fileName);
    }

    static final class Builder {
        private final String fileName;
        private final StringBuilder text = new StringBuilder();
        private final List<Origin> origins = new ArrayList<>();

        private Builder(String fileName) {
            this.fileName = fileName;
        }

        /** Current length of the text: the offset the next line starts at. */
        int offset() {
            return text.length();
        }

        Builder line(String line) {
            return add(line, null);
        }

        /** A generated line that problems should blame on {@code source} (a variable, a directive). */
        Builder line(String line, SourceText source) {
            return add(line, new Origin(source, 0, 0));
        }

        /**
         * Copies {@code source[start, end)} line by line, each line after {@code indent}; the first
         * line gets {@code prefix} before it and the last {@code suffix} after it. Blank lines stay blank.
         */
        Builder copy(SourceText source, int start, int end, String indent, String prefix, String suffix) {
            String original = source.text();
            int line = source.lineOf(start);
            int from = start;
            boolean first = true;
            while (true) {
                int newline = original.indexOf('\n', from);
                int lineEnd = newline < 0 || newline >= end ? end : newline;
                String content = original.substring(from, lineEnd);
                if (content.endsWith("\r")) {
                    content = content.substring(0, content.length() - 1);
                }
                boolean last = lineEnd == end;
                String lead = first ? indent + prefix : indent;
                String body = content.isBlank() && !first && !last ? "" : lead + content;
                int column = from - source.lineStart(line);
                add(body + (last ? suffix : ""), new Origin(source, line, column - lead.length()));
                if (last) {
                    return this;
                }
                from = lineEnd + 1;
                line++;
                first = false;
            }
        }

        private Builder add(String line, Origin origin) {
            text.append(line).append('\n');
            origins.add(origin);
            return this;
        }

        GeneratedSource build() {
            return new GeneratedSource(fileName, text.toString(), Collections.unmodifiableList(new ArrayList<>(origins)));
        }
    }
}
