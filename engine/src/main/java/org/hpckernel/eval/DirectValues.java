package org.hpckernel.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Runs a cell's final expression without JShell compiling it: as one small class of JShell's
 * {@code REPL} package, compiled by {@link SessionJavac} with the session's imports plus an import
 * of each declaration the expression names, then loaded and run by the session's own execution
 * control (the same loader, threads and stop machinery as JShell's snippets).
 *
 * <p>JShell compiles every snippet with one import per live declaration and re-reads the classes
 * behind them each time, so a value cell gets slower as the session grows. A simple name can only
 * resolve to a declaration written in the text, so the imports here are exactly the ones of
 * JShell's list that can take part, and the expression means the same thing. Whatever does not
 * compile here (a void call, a lambda, a name not declared yet, a syntax error), or names a
 * variable whose type Java cannot write (JShell gives those their inferred type while compiling),
 * is left to JShell before anything has run, so its messages and rules apply as before.
 */
final class DirectValues {
    static final String CLASS_PREFIX = ReplClassFiles.PACKAGE + ".$Hpc$";
    private static final String METHOD = "do_it$";
    private static final String FIELD = "$hpc$value";
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]*");

    private final JShell shell;
    private final StoppableExecutionControl control;
    private final SnippetOrigins origins;
    private final TracebackFormatter tracebacks;
    private final SessionJavac javac;
    private int count;
    private int ran;

    DirectValues(JShell shell, StoppableExecutionControl control, SnippetOrigins origins, TracebackFormatter tracebacks,
            List<String> classpath) {
        this.shell = shell;
        this.control = control;
        this.origins = origins;
        this.tracebacks = tracebacks;
        SnippetLoaderDelegate loader = control.loaderDelegate();
        this.javac = new SessionJavac(loader::classBytes, loader::version, CLASS_PREFIX);
        javac.classpath(classpath);
    }

    /** Null when this JVM does not let the kernel use javac's internals. */
    static DirectValues create(JShell shell, StoppableExecutionControl control, SnippetOrigins origins,
            TracebackFormatter tracebacks, List<String> classpath) {
        return SessionJavac.available() ? new DirectValues(shell, control, origins, tracebacks, classpath) : null;
    }

    /** How many expressions ran here. */
    int ran() {
        return ran;
    }

    void classpath(List<String> entries) {
        javac.classpath(entries);
    }

    /**
     * Runs {@code expression} (a value expression, see {@link ValueDeclaration#valueBody}) if it
     * compiles here, and returns its value or error; null if it does not compile here, and then
     * nothing has run.
     */
    CellResult run(String expression, RunningCell cell, String label, int firstLine) {
        if (expression.contains("\\u")) {
            return null; // Unicode escapes can spell names MentionedNames does not see.
        }
        StringBuilder source = new StringBuilder("package ").append(ReplClassFiles.PACKAGE).append(";\n");
        if (!appendImports(source, MentionedNames.of(expression))) {
            return null;
        }
        String simpleName = CLASS_PREFIX.substring(ReplClassFiles.PACKAGE.length() + 1) + (++count);
        source.append("public class ").append(simpleName).append(" {\n")
                .append("public static Object ").append(FIELD).append(";\n")
                .append("public static void ").append(METHOD).append("() throws Throwable {\n")
                .append(FIELD).append(" =\n");
        int bodyLine = lines(source) + 1;
        source.append(expression).append("\n;\n}\n}\n");
        String className = CLASS_PREFIX + count;
        SessionJavac.Compiled compiled = javac.compile(className, source.toString());
        if (!compiled.ok()) {
            return null;
        }
        try {
            control.load(compiled.classes().entrySet().stream()
                    .map(c -> new ClassBytecodes(c.getKey(), c.getValue())).toArray(ClassBytecodes[]::new));
        } catch (ExecutionControl.ExecutionControlException e) {
            return null;
        } finally {
            javac.loaded();
        }
        ran++;
        String id = "hpc" + count;
        origins.record(id, cell.number(), label, firstLine);
        try {
            control.invoke(className, METHOD);
            control.varValue(className, FIELD);
        } catch (ExecutionControl.StoppedException e) {
            return CellResult.failed(CellError.interrupted());
        } catch (ExecutionControl.RunException e) {
            return CellResult.failed(tracebacks.runtimeError(chain(e, className, id, bodyLine), cell.number()));
        } catch (ExecutionControl.ExecutionControlException e) {
            return CellResult.failed(new CellError("InternalError", String.valueOf(e.getMessage()),
                    List.of("InternalError: " + e.getMessage())));
        }
        if (cell.interrupted()) {
            return CellResult.failed(CellError.interrupted());
        }
        Object value = control.takeLastValue();
        return value == StoppableExecutionControl.NO_VALUE ? CellResult.noValue() : CellResult.of(value);
    }

    /**
     * The session's imports (JShell's defaults and the user's) and one static import per declared
     * name the expression mentions, as JShell writes them. False if a mentioned variable has a type
     * Java cannot write.
     */
    private boolean appendImports(StringBuilder source, Set<String> mentioned) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        for (Snippet snippet : (Iterable<Snippet>) shell.snippets()::iterator) {
            if (snippet instanceof ImportSnippet imported) {
                if (shell.status(snippet).isDefined()) {
                    source.append("import ").append(imported.isStatic() ? "static " : "")
                            .append(imported.fullname()).append(";\n");
                }
            } else if (snippet instanceof DeclarationSnippet declared && mentioned.contains(declared.name())
                    && isImported(declared) && shell.status(snippet).isDefined()) {
                if (declared instanceof VarSnippet variable && !writable(variable.typeName())) {
                    return false;
                }
                source.append("import static ").append(analysis.wrapper(snippet).fullClassName())
                        .append('.').append(declared.name()).append(";\n");
            }
        }
        return true;
    }

    private static boolean isImported(DeclarationSnippet snippet) {
        return snippet instanceof VarSnippet || snippet instanceof MethodSnippet || snippet instanceof TypeDeclSnippet;
    }

    /** Anonymous, intersection and captured types: JShell patches them into javac, this class cannot. */
    private static boolean writable(String typeName) {
        return !(typeName.contains("&") || typeName.contains("<anonymous") || typeName.contains("capture#"));
    }

    /** The thrown chain, outermost first, with frames pointing at cells as JShell's would. */
    private List<TracebackFormatter.Thrown> chain(ExecutionControl.RunException thrown, String className, String id,
            int bodyLine) {
        Map<String, Snippet> wrappers = new HashMap<>();
        List<TracebackFormatter.Thrown> chain = new ArrayList<>();
        for (Throwable e = thrown; e instanceof ExecutionControl.RunException run; e = e.getCause()) {
            StackTraceElement[] frames = frames(run.getStackTrace(), className, id, bodyLine, wrappers);
            if (run instanceof ExecutionControl.ResolutionException unresolved) {
                Snippet snippet = snippetById(Integer.toString(unresolved.id()));
                String message = snippet instanceof DeclarationSnippet declaration
                        ? TracebackFormatter.unresolvedMessage(shell, declaration) : "a declaration is not usable yet";
                chain.add(new TracebackFormatter.Thrown(CellError.UNRESOLVED_REFERENCE, message, frames));
            } else {
                ExecutionControl.UserException user = (ExecutionControl.UserException) run;
                chain.add(new TracebackFormatter.Thrown(SnippetNames.clean(user.causeExceptionClass()),
                        user.getMessage() == null ? "" : SnippetNames.clean(user.getMessage()), frames));
            }
        }
        return chain;
    }

    /** Frames of this class and of JShell's wrappers as "#snippet id" frames; nothing below the last of them. */
    private StackTraceElement[] frames(StackTraceElement[] raw, String className, String id, int bodyLine,
            Map<String, Snippet> wrappers) {
        int last = raw.length - 1;
        while (last > 0 && !raw[last].getClassName().startsWith(ReplClassFiles.PACKAGE + ".")) {
            last--;
        }
        List<StackTraceElement> mapped = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            StackTraceElement frame = raw[i];
            String type = frame.getClassName();
            String method = frame.getMethodName().equals(METHOD) ? "" : frame.getMethodName();
            Matcher wrapper = WRAPPER.matcher(type);
            if (type.equals(className) || type.startsWith(className + "$")) {
                String nested = type.equals(className) ? "" : type.substring(className.length() + 1);
                mapped.add(new StackTraceElement(nested, method, "#" + id,
                        Math.max(1, frame.getLineNumber() - bodyLine + 1)));
            } else if (wrapper.lookingAt()) {
                Snippet snippet = wrapperSnippet(wrapper.group(), wrappers);
                mapped.add(snippet == null ? frame : new StackTraceElement(SnippetNames.clean(type), method,
                        "#" + snippet.id(), snippetLine(snippet, frame.getLineNumber())));
            } else {
                mapped.add(frame);
            }
        }
        return mapped.toArray(StackTraceElement[]::new);
    }

    private Snippet wrapperSnippet(String wrapperClass, Map<String, Snippet> wrappers) {
        if (wrappers.isEmpty()) {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            shell.snippets().forEach(s -> wrappers.put(analysis.wrapper(s).fullClassName(), s));
        }
        return wrappers.get(wrapperClass);
    }

    /** Line {@code wrappedLine} of a snippet's wrapper class, as a line of the snippet's own text. */
    private int snippetLine(Snippet snippet, int wrappedLine) {
        SourceCodeAnalysis.SnippetWrapper wrapper = shell.sourceCodeAnalysis().wrapper(snippet);
        String wrapped = wrapper.wrapped();
        int position = 0;
        for (int line = 1; line < wrappedLine && position >= 0; line++) {
            position = wrapped.indexOf('\n', position) + 1;
            if (position == 0) {
                return 1;
            }
        }
        while (position < wrapped.length() && wrapped.charAt(position) != '\n'
                && Character.isWhitespace(wrapped.charAt(position))) {
            position++;
        }
        int inSource = wrapper.wrappedToSourcePosition(position);
        if (inSource < 0) {
            return 1;
        }
        String text = wrapper.source();
        int line = 1;
        for (int i = 0; i < Math.min(inSource, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private Snippet snippetById(String id) {
        return shell.snippets().filter(s -> s.id().equals(id)).findFirst().orElse(null);
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
