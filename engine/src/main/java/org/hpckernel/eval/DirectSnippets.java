package org.hpckernel.eval;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;

/**
 * Runs a snippet that declares nothing (an expression, a statement, a void call) without JShell
 * compiling it: as one small class of JShell's {@code REPL} package, compiled by
 * {@link SessionJavac} with the session's imports plus an import of each declaration the snippet
 * names, then loaded and run by the session's own execution control (the same loader, threads and
 * stop machinery as JShell's snippets).
 *
 * <p>JShell compiles every snippet with one import per live declaration and re-reads the classes
 * behind them each time, so a cell gets slower as the session grows. A simple name can only
 * resolve to a declaration written in the text, so the imports here are exactly the ones of
 * JShell's list that can take part, and the snippet means the same thing. Whatever does not
 * compile here (a lambda as a value, a name not declared yet, a syntax error, any declaration),
 * or names a variable whose type Java cannot write (JShell gives those their inferred type while
 * compiling), is left to JShell before anything has run, so its messages and rules apply as before.
 */
final class DirectSnippets {
    static final String CLASS_PREFIX = ReplClassFiles.PACKAGE + ".$Hpc$";
    static final String METHOD = "do_it$";
    private static final String FIELD = "$hpc$value";
    /** javac's error for {@code Object x = <a void call>} (and for other mismatches, which the statement form rejects). */
    private static final String INCOMPATIBLE_TYPES = "compiler.err.prob.found.req";

    private static final String WARM_UP = "package " + ReplClassFiles.PACKAGE + ";\n"
            + JavaEvaluator.DEFAULT_IMPORTS.stream().map(name -> "import " + name + ";\n").collect(Collectors.joining())
            + "class $Hpc$0 { static Object f() { return List.of(1 + 1).stream().map(String::valueOf).toList(); } }\n";

    private final JShell shell;
    private final StoppableExecutionControl control;
    private final SnippetOrigins origins;
    private final TracebackFormatter tracebacks;
    private final SessionJavac javac;
    private int count;
    private int ran;
    private volatile CountDownLatch warm;

    DirectSnippets(JShell shell, StoppableExecutionControl control, SnippetOrigins origins, TracebackFormatter tracebacks,
            List<String> classpath) {
        this.shell = shell;
        this.control = control;
        this.origins = origins;
        this.tracebacks = tracebacks;
        SnippetLoaderDelegate loader = control.loaderDelegate();
        this.javac = new SessionJavac(loader::classBytes, loader::version, CLASS_PREFIX);
        javac.classpath(classpath);
    }

    /**
     * Starts javac's first compilation, which sets it up (~0.3 s), on another thread. Until it is
     * done, {@link #run} declines and cells take JShell's path, which is warm already: the session
     * is ready as early as before, and the first cells do not wait for this one.
     */
    void warmUpAside() {
        warm = new CountDownLatch(1);
        DaemonThreads.start("hpc-javac-warm-up", () -> {
            try {
                javac.compile(CLASS_PREFIX + "0", WARM_UP);
            } finally {
                warm.countDown();
            }
        });
    }

    /** Waits for {@link #warmUpAside()}'s compilation; false if it is still running after the timeout. */
    boolean awaitWarm(long millis) throws InterruptedException {
        return warm == null || warm.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Null when this JVM does not let the kernel use javac's internals. */
    static DirectSnippets create(JShell shell, StoppableExecutionControl control, SnippetOrigins origins,
            TracebackFormatter tracebacks, List<String> classpath) {
        return javacInternalsExported() ? new DirectSnippets(shell, control, origins, tracebacks, classpath) : null;
    }

    /** Checked without touching javac's classes, which cannot be linked without the exports. */
    private static boolean javacInternalsExported() {
        Module compiler = ModuleLayer.boot().findModule("jdk.compiler").orElse(null);
        Module self = DirectSnippets.class.getModule();
        return compiler != null && Stream.of("api", "code", "util")
                .allMatch(name -> compiler.isExported("com.sun.tools.javac." + name, self));
    }

    /** How many expressions ran here. */
    int ran() {
        return ran;
    }

    void classpath(List<String> entries) {
        javac.classpath(entries);
    }

    /**
     * Runs one snippet of a cell here if it compiles here: a value expression (with or without a
     * final {@code ;}, which JShell ignores too) as a value, a void call or a statement as a
     * statement. Declarations are never taken: they must become JShell's.
     *
     * @param text the snippet as the cell has it, leading blanks cut
     * @param firstLine the cell line it starts on
     * @return its value (if it has one) or error; null if it does not compile here, and then
     *     nothing has run
     */
    CellResult run(String text, RunningCell cell, String label, int firstLine) {
        CountDownLatch warming = warm;
        if (warming != null && warming.getCount() > 0) {
            return null;
        }
        if (text.contains("\\u")) {
            return null; // Unicode escapes can spell names MentionedNames does not see.
        }
        String stripped = text.strip();
        String body = ValueDeclaration.valueBody(stripped.endsWith(";")
                ? stripped.substring(0, stripped.length() - 1) : stripped, false);
        if (body == null && !StatementShape.isStatement(stripped)) {
            return null;
        }
        // The imports once for both tries: the names of the body are the names of the snippet.
        String imports = imports(MentionedNames.of(stripped));
        if (imports == null) {
            return null;
        }
        if (body != null) {
            Attempt value = attempt(imports, body, true, cell, label, firstLine);
            if (value.result() != null || !value.voidValue()) {
                return value.result();
            }
        }
        return attempt(imports, stripped, false, cell, label, firstLine).result();
    }

    /** What one try gave: the cell's result, or null and whether the value form failed on a void value. */
    private record Attempt(CellResult result, boolean voidValue) {
    }

    private Attempt attempt(String imports, String code, boolean asValue, RunningCell cell, String label,
            int firstLine) {
        StringBuilder source = new StringBuilder("package ").append(ReplClassFiles.PACKAGE).append(";\n")
                .append(imports);
        String simpleName = CLASS_PREFIX.substring(ReplClassFiles.PACKAGE.length() + 1) + (++count);
        source.append("public class ").append(simpleName).append(" {\n")
                .append("public static Object ").append(FIELD).append(";\n")
                .append("public static void ").append(METHOD).append("() throws Throwable {\n")
                // An if's body cannot be a declaration: what compiles here is a statement.
                .append(asValue ? FIELD + " =" : "if (true)").append('\n');
        int bodyLine = lines(source) + 1;
        source.append(code).append("\n;\n}\n}\n");
        String className = CLASS_PREFIX + count;
        SessionJavac.Compiled compiled;
        try {
            compiled = javac.compile(className, source.toString());
        } catch (RuntimeException e) {
            return new Attempt(null, false); // javac itself failed: JShell's own javac may still do
        }
        if (!compiled.ok()) {
            return new Attempt(null, asValue && compiled.errors().equals(List.of(INCOMPATIBLE_TYPES)));
        }
        try {
            control.load(compiled.classes().entrySet().stream()
                    .map(c -> new ClassBytecodes(c.getKey(), c.getValue())).toArray(ClassBytecodes[]::new));
        } catch (ExecutionControl.ExecutionControlException e) {
            return new Attempt(null, false);
        } finally {
            javac.loaded();
        }
        ran++;
        String id = "hpc" + count;
        origins.record(id, cell.number(), label, firstLine);
        return new Attempt(invoke(className, asValue, cell, new WrapperFrames(shell, className, id, bodyLine)), false);
    }

    private CellResult invoke(String className, boolean asValue, RunningCell cell, WrapperFrames frames) {
        try {
            control.invoke(className, METHOD);
            if (asValue) {
                control.varValue(className, FIELD);
            }
        } catch (ExecutionControl.StoppedException e) {
            return CellResult.failed(CellError.interrupted());
        } catch (ExecutionControl.RunException e) {
            // On JDK 20+ a stop interrupts the thread: what user code then throws is the interrupt.
            return CellResult.failed(cell.interrupted() ? CellError.interrupted()
                    : tracebacks.runtimeError(frames.chain(e), cell.number()));
        } catch (ExecutionControl.ExecutionControlException e) {
            return CellResult.failed(new CellError("InternalError", String.valueOf(e.getMessage()),
                    List.of("InternalError: " + e.getMessage())));
        }
        if (cell.interrupted()) {
            return CellResult.failed(CellError.interrupted());
        }
        Object value = asValue ? control.takeLastValue() : StoppableExecutionControl.NO_VALUE;
        return value == StoppableExecutionControl.NO_VALUE ? CellResult.noValue() : CellResult.of(value);
    }

    /**
     * The session's imports (JShell's defaults and the user's) and one static import per declared
     * name the snippet mentions, as JShell writes them; null if a mentioned variable has a type
     * Java cannot write.
     */
    private String imports(Set<String> mentioned) {
        StringBuilder imports = new StringBuilder();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        for (Snippet snippet : (Iterable<Snippet>) shell.snippets()::iterator) {
            if (snippet instanceof ImportSnippet imported) {
                if (shell.status(snippet).isDefined()) {
                    imports.append("import ").append(imported.isStatic() ? "static " : "")
                            .append(imported.fullname()).append(";\n");
                }
            } else if (snippet instanceof DeclarationSnippet declared && mentioned.contains(declared.name())
                    && isImported(declared) && shell.status(snippet).isDefined()) {
                if (declared instanceof VarSnippet variable && !writable(variable.typeName())) {
                    return null;
                }
                imports.append("import static ").append(analysis.wrapper(snippet).fullClassName())
                        .append('.').append(declared.name()).append(";\n");
            }
        }
        return imports.toString();
    }

    private static boolean isImported(DeclarationSnippet snippet) {
        return snippet instanceof VarSnippet || snippet instanceof MethodSnippet || snippet instanceof TypeDeclSnippet;
    }

    /** Anonymous, intersection and captured types: JShell patches them into javac, this class cannot. */
    private static boolean writable(String typeName) {
        return !(typeName.contains("&") || typeName.contains("<anonymous") || typeName.contains("capture#"));
    }

    private static int lines(CharSequence text) {
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
