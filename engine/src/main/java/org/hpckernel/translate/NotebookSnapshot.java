package org.hpckernel.translate;

import java.util.List;

/**
 * The notebook as plain Java sees it: its imports, type and method declarations in definition
 * order, and its variables with the types JShell resolved for them. Taken from the kernel's
 * session ({@code JavaEvaluator.snapshot()}); exported projects are built from the same record.
 */
public record NotebookSnapshot(List<String> imports, List<Declaration> declarations, List<Variable> variables) {
    /** The jshell tool's DEFAULT startup imports: every notebook has them without writing them. */
    public static final List<String> DEFAULT_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*",
            "java.util.regex.*", "java.util.stream.*");

    public enum Kind { TYPE, METHOD }

    /** @param name the type's simple name, or the method's name */
    public record Declaration(Kind kind, String name, String source) {}

    /** @param type as JShell resolved it, notebook types by simple name: {@code List<Point>}, {@code int} */
    public record Variable(String name, String type) {}

    public NotebookSnapshot {
        imports = List.copyOf(imports);
        declarations = List.copyOf(declarations);
        variables = List.copyOf(variables);
    }
}
