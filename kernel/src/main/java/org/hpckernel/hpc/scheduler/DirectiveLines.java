package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * The directive lines of one batch script, written field by field like a table:
 * {@code add("-q ", queue)} writes {@code #PBS -q QUEUE}, or nothing when the value is null (the
 * option was not asked). Values arrive checked ({@link Allowed}); nothing is quoted here.
 */
final class DirectiveLines {
    private final String prefix;
    private final List<String> lines = new ArrayList<>();

    DirectiveLines(String prefix) {
        this.prefix = prefix;
    }

    /** {@code PREFIX option+value}, when the value is not null. */
    DirectiveLines add(String option, Object value) {
        if (value != null) {
            lines.add(prefix + " " + option + value);
        }
        return this;
    }

    /** {@code PREFIX line}, always. */
    DirectiveLines add(String line) {
        return add(line, "");
    }

    /** A line as it is (a comment for the reader of the script). */
    DirectiveLines raw(String line) {
        lines.add(line);
        return this;
    }

    List<String> lines() {
        return lines;
    }
}
