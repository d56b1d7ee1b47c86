package org.hpckernel.hpc.transport;

import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX shell quoting. Everything a user or a profile supplies goes through here before it is
 * part of a batch script or a remote command line: single quotes, with each embedded quote
 * written as '\''. Plain words are left bare so generated scripts stay readable.
 */
public final class ShellQuote {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {}

    public static String quote(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A command line whose words a POSIX shell splits back exactly into {@code argv}. */
    public static String join(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String word : argv) {
            if (line.length() > 0) line.append(' ');
            line.append(quote(word));
        }
        return line.toString();
    }
}
