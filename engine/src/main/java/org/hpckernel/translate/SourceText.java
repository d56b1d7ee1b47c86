package org.hpckernel.translate;

/** A piece of user source (a cell body, a notebook declaration) with 1-based line lookups. */
final class SourceText {
    private final String where;
    private final LineIndex lines;

    /** @param where how a problem names this text: "cell", or the declaration's name */
    SourceText(String where, String text) {
        this.where = where;
        this.lines = new LineIndex(text);
    }

    String where() {
        return where;
    }

    String text() {
        return lines.text();
    }

    int lineCount() {
        return lines.lineCount();
    }

    /** 1-based line of {@code offset}. */
    int lineOf(int offset) {
        return lines.lineOf(offset);
    }

    int lineStart(int line) {
        return lines.lineStart(line);
    }

    /** Line {@code line} without its line terminator. */
    String line(int line) {
        return lines.line(line);
    }
}
