package org.hpckernel.translate;

import java.util.regex.Pattern;

/** Type names as a user writes them, without the classes JShell wraps each snippet in. */
public final class JShellNames {
    /** {@code REPL.$JShell$12$}, {@code $JShell$12B.}: a wrapper class, as it may appear in a type name. */
    private static final Pattern WRAPPER = Pattern.compile("(?:\\bREPL\\.)?\\$JShell\\$\\w+[$.]");

    private JShellNames() {}

    /** {@code List<Point>} for {@code List<REPL.$JShell$12$Point>}; other names unchanged. */
    public static String plain(String typeName) {
        return WRAPPER.matcher(typeName).replaceAll("");
    }
}
