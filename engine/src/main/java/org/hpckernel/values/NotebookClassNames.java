package org.hpckernel.values;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a notebook type has on each side of a job. In the kernel, JShell nests it in a wrapper
 * whose name changes with every redefinition ({@code REPL.$JShell$18$Point}); on the node it is a
 * top-level class of the compiled cell's package ({@code hpccell.Point}). A serialized value carries
 * the writer's name; the reader maps it, by the name the user wrote ({@code Point}), to its own class.
 */
public final class NotebookClassNames {
    /** The package the kernel compiles a cell and the notebook's types into (see the translate package). */
    public static final String COMPILED_PACKAGE = "hpccell";

    private static final Pattern JSHELL = Pattern.compile("REPL\\.\\$JShell\\$\\w+\\$([^.]+)");
    private static final Pattern COMPILED = Pattern.compile(Pattern.quote(COMPILED_PACKAGE) + "\\.([^.]+)");

    private NotebookClassNames() {}

    /**
     * {@code Point} for {@code REPL.$JShell$18$Point} or {@code hpccell.Point}, {@code Point$Inner}
     * for a member type of it; null for any other class name.
     */
    public static String notebookName(String binaryName) {
        Matcher m = JSHELL.matcher(binaryName);
        if (m.matches()) {
            return m.group(1);
        }
        m = COMPILED.matcher(binaryName);
        return m.matches() ? m.group(1) : null;
    }

    /** {@code Point} for {@code Point$Inner}: the notebook's declaration that holds it. */
    static String topLevel(String notebookName) {
        int dollar = notebookName.indexOf('$');
        return dollar < 0 ? notebookName : notebookName.substring(0, dollar);
    }
}
