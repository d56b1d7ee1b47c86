package org.hpckernel.eval;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;
import org.hpckernel.display.Display;
import org.hpckernel.translate.JShellNames;
import org.hpckernel.values.SerialValues;
import org.hpckernel.translate.LineIndex;
import org.hpckernel.translate.NotebookSnapshot;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.ValueHandoff;

/**
 * A Java session: JShell running snippets in this JVM. Used by the kernel for notebook cells
 * and by the remote runner to replay a notebook's declarations and run one cell.
 *
 * <p>Threading: {@link #eval} blocks its caller until the cell is done. While user code runs,
 * {@link #complete}, {@link #inspect}, {@link #isComplete} and the declaration queries may be
 * called from other threads and answer promptly; {@link #interrupt()} may be called from any
 * thread. Everything else waits for the running JShell operation.
 */
public final class JavaEvaluator implements AutoCloseable {
    /** The jshell tool's DEFAULT startup imports. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*",
            "java.util.regex.*", "java.util.stream.*");
    private static final String DISPLAY_IMPORT = "import static " + Display.class.getName() + ".*;";
    private static final long STOP_RETRY_MILLIS = 100;
    private static final String HANDOFF = ValueHandoff.class.getName();
    /** What {@link #bind} accepts as a type: names, dots, generics, wildcards, arrays; no code. */
    private static final Pattern TYPE = Pattern.compile("[\\p{L}\\p{N}_$.<>?,\\[\\]&\\s]+");
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", int.class, "long", long.class,
            "double", double.class, "float", float.class, "boolean", boolean.class, "char", char.class,
            "short", short.class, "byte", byte.class);
    private static final Map<String, String> BOXES = Map.of("int", "Integer", "long", "Long", "double", "Double",
            "float", "Float", "boolean", "Boolean", "char", "Character", "short", "Short", "byte", "Byte");

    // Guards every use of JShell, which is not thread-safe. Released while user code runs
    // (see StoppableExecutionControl) so completion works during a long cell.
    private final ReentrantLock lock = new ReentrantLock();
    private final List<String> extraClasspath;
    private final List<String> addedClasspath = new ArrayList<>();
    private final Set<String> startupSnippetIds = new HashSet<>();
    private final SnippetOrigins origins = new SnippetOrigins();
    private final TracebackFormatter tracebacks = new TracebackFormatter(origins);
    private volatile RunningCell running;
    private JShell shell;
    private StoppableExecutionControl control;
    private CodeAssistant assistant;
    private final boolean directSnippets;
    private DirectSnippets direct;
    private int cellCount;
    private int valueCount;

    /** @param extraClasspath jars or directories user code may use from the first cell on */
    public JavaEvaluator(List<String> extraClasspath) {
        this(extraClasspath, true);
    }

    /** @param directSnippets false to leave every cell to JShell (tests compare both ways) */
    JavaEvaluator(List<String> extraClasspath, boolean directSnippets) {
        this.extraClasspath = List.copyOf(extraClasspath);
        this.directSnippets = directSnippets;
    }

    /** Builds the session: classpath, default imports, {@code Display.*}, and a short warm-up. */
    public void start() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        lock.lock();
        try {
            if (shell != null) {
                throw new IllegalStateException("already started");
            }
            InProcessExecutionProvider provider = new InProcessExecutionProvider(lock,
                    () -> { RunningCell cell = running; return cell != null && cell.interrupted(); },
                    Display.class.getClassLoader());
            OutputCapture capture = OutputCapture.current();
            JShell.Builder builder = JShell.builder().executionEngine(provider, Map.of());
            if (capture != null) {
                // JShell's own diagnostics must not end up in a cell's output.
                builder.out(capture.originalErr()).err(capture.originalErr());
            }
            shell = builder.build();
            control = provider.control();
            direct = directSnippets ? DirectSnippets.create(shell, control, origins, tracebacks, compileClasspath()) : null;
            shell.addToClasspath(engineLocation());
            for (String path : extraClasspath) {
                shell.addToClasspath(path);
            }
            for (String name : DEFAULT_IMPORTS) {
                startupSnippetIds.addAll(evalQuietly("import " + name + ";"));
            }
            startupSnippetIds.addAll(evalQuietly(DISPLAY_IMPORT));
            assistant = new CodeAssistant(shell);
            warmUp();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a cell on the calling thread; see {@link #eval(String, int)}. */
    public CellResult eval(String code) {
        return eval(code, 0);
    }

    /**
     * Runs a cell on the calling thread, snippet by snippet, stopping at the first error.
     *
     * @param executionCount the cell's number as the frontend shows it ({@code In [n]}), used in
     *     later tracebacks that point into this cell; 0 to number cells internally
     */
    public CellResult eval(String code, int executionCount) {
        lock.lock();
        try {
            requireStarted();
            int number = ++cellCount;
            RunningCell cell = new RunningCell(number);
            running = cell;
            try {
                return evalCell(code, cell, "cell [" + (executionCount > 0 ? executionCount : number) + "]");
            } finally {
                running = null;
                cell.finish();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the running cell (if any) and makes a pending input request give up; the cell's
     * {@link #eval} then returns an "Interrupted" error. Returns at once, from any thread.
     */
    public void interrupt() {
        RunningCell cell = running;
        if (cell == null || !cell.requestInterrupt()) {
            return;
        }
        OutputCapture capture = OutputCapture.current();
        if (capture != null) {
            capture.cancelPendingInput();
        }
        JShell session = shell;
        // JShell can only stop code that is already running, and on JDK 22+ a stop that lands
        // between two of its internal steps is lost; so keep asking until the cell is over.
        DaemonThreads.start("hpc-interrupt", () -> {
            try {
                do {
                    session.stop();
                } while (!cell.awaitFinish(STOP_RETRY_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The session was closed meanwhile: nothing left to stop.
            }
        });
    }

    public Completion complete(String code, int cursor) {
        lock.lock();
        try {
            requireStarted();
            return assistant.complete(code, cursor);
        } finally {
            lock.unlock();
        }
    }

    /** @param detailLevel 0 for signatures and Javadoc; 1 also shows user declarations' source */
    public Inspection inspect(String code, int cursor, int detailLevel) {
        lock.lock();
        try {
            requireStarted();
            return assistant.inspect(code, cursor, detailLevel);
        } finally {
            lock.unlock();
        }
    }

    public IsComplete isComplete(String code) {
        lock.lock();
        try {
            requireStarted();
            return assistant.isComplete(code);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Source of the session's active imports, types and methods, in definition order (no
     * variables, no startup imports): what a compute node replays before running a cell.
     */
    public List<String> declarations() {
        lock.lock();
        try {
            requireStarted();
            return shell.snippets()
                    .filter(s -> !startupSnippetIds.contains(s.id()))
                    .filter(s -> s.kind() == Snippet.Kind.IMPORT || s.kind() == Snippet.Kind.TYPE_DECL
                            || s.kind() == Snippet.Kind.METHOD)
                    .filter(s -> shell.status(s).isActive())
                    .map(Snippet::source)
                    .collect(Collectors.toList());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The session as plain Java sees it: active imports (startup ones aside), types and methods in
     * definition order, and variables with the types JShell resolved for them, written without
     * JShell's wrapper names ({@code List<Point>}, not {@code List<REPL.$JShell$12$Point>}). A
     * variable whose type was redefined since has no value left, and is not listed.
     */
    public NotebookSnapshot snapshot() {
        lock.lock();
        try {
            requireStarted();
            List<String> imports = new ArrayList<>();
            List<NotebookSnapshot.Declaration> declarations = new ArrayList<>();
            List<NotebookSnapshot.Variable> variables = new ArrayList<>();
            shell.snippets()
                    .filter(s -> !startupSnippetIds.contains(s.id()))
                    .filter(s -> shell.status(s).isActive())
                    .forEach(s -> {
                        if (s instanceof ImportSnippet) {
                            imports.add(s.source());
                        } else if (s instanceof TypeDeclSnippet type) {
                            declarations.add(new NotebookSnapshot.Declaration(NotebookSnapshot.Kind.TYPE, type.name(), s.source()));
                        } else if (s instanceof MethodSnippet method) {
                            declarations.add(new NotebookSnapshot.Declaration(NotebookSnapshot.Kind.METHOD, method.name(), s.source()));
                        } else if (s instanceof VarSnippet variable && shell.status(s) == Snippet.Status.VALID
                                && variable.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                                && !ValueDeclaration.isValueVariable(variable)) {
                            variables.add(new NotebookSnapshot.Variable(variable.name(),
                                    JShellNames.plain(variable.typeName())));
                        }
                    });
            return new NotebookSnapshot(imports, declarations, variables);
        } finally {
            lock.unlock();
        }
    }

    /** Names of the session's variables (temporary {@code $n} values are never kept). */
    public Set<String> variableNames() {
        lock.lock();
        try {
            requireStarted();
            return shell.variables()
                    .filter(v -> v.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND && !ValueDeclaration.isValueVariable(v))
                    .map(VarSnippet::name)
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The object a notebook variable holds (not JShell's text for it).
     *
     * @throws IllegalArgumentException if the session has no usable variable of that name
     */
    public Object valueOf(String variable) {
        lock.lock();
        try {
            requireStarted();
            VarSnippet snippet = shell.variables()
                    .filter(v -> v.name().equals(variable) && shell.status(v) == Snippet.Status.VALID)
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalArgumentException("the notebook has no variable named " + variable));
            shell.varValue(snippet);
            Object value = control.takeLastValue();
            if (value == StoppableExecutionControl.NO_VALUE) {
                throw new IllegalArgumentException("cannot read the value of " + variable);
            }
            return value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Declares notebook variable {@code name} as {@code type} ({@code int}, {@code List<Point>}: the
     * source type, notebook types by simple name) holding the value decoded from {@code json}.
     * The value is decoded inside the session, so the notebook's types are its current classes;
     * if it does not decode (or the type does not compile) nothing is declared and an existing
     * variable of that name keeps its value. Shows no output and leaves no temporary snippets.
     *
     * @throws IllegalArgumentException naming the variable, the type and what is wrong; the cause is
     *     the {@link MalformedValueException} when the JSON does not decode as the type
     */
    public void bind(String name, String type, String json) {
        bind(name, type, json, org.hpckernel.values.SerialValues.Limits.DEFAULT.maxBytes());
    }

    /** As {@link #bind(String, String, String)}; a value in binary form may be up to {@code maxBinaryBytes} long. */
    public void bind(String name, String type, String json, long maxBinaryBytes) {
        if (name == null || !SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
            throw new IllegalArgumentException("cannot bind `" + name + "`: not a Java variable name");
        }
        String declared = type == null ? "" : type.strip();
        if (declared.isEmpty() || !TYPE.matcher(declared).matches()) {
            throw new IllegalArgumentException("cannot bind `" + name + "`: `" + type + "` is not a Java type");
        }
        String boxed = BOXES.getOrDefault(declared, declared);
        String what = "cannot bind `" + name + "` as " + declared + ": ";
        lock.lock();
        try {
            requireStarted();
            String token = ValueHandoff.offer(json, PRIMITIVES.get(declared), maxBinaryBytes);
            try {
                // Decoded first: if that fails, no variable has been declared or replaced.
                Class<?> jdkType = ValueHandoff.jdkType(declared, this::declaresType);
                if (jdkType != null) {
                    try {
                        ValueHandoff.decodeHere(token, jdkType);
                    } catch (MalformedValueException e) {
                        throw new IllegalArgumentException(what + e.getMessage(), e);
                    }
                } else {
                    SnippetEvent decoded = evalInternal("{ " + HANDOFF + ".decode(\"" + token + "\", new "
                            + "org.hpckernel.values.TypeCapture<" + boxed + ">() {}" + notebookTypes(json) + "); }");
                    if (decoded.status() == Snippet.Status.REJECTED) {
                        throw new IllegalArgumentException(what + diagnostics(decoded.snippet()));
                    }
                    if (decoded.exception() != null) {
                        MalformedValueException failure = ValueHandoff.failure(token);
                        throw new IllegalArgumentException(what + (failure != null ? failure.getMessage()
                                : decoded.exception().getMessage()), failure);
                    }
                }
                // Declared without a value, then assigned in a statement: JShell renders a declaration's
                // value as text (0.13 s for a 1 MiB String), a statement's it does not.
                SnippetEvent declaredEvent = evalInternal(declared + " " + name + ";");
                SnippetEvent assigned = declaredEvent.status() == Snippet.Status.REJECTED || declaredEvent.exception() != null
                        ? declaredEvent
                        : evalInternal("{ " + name + " = " + HANDOFF + ".<" + boxed + ">take(\"" + token + "\"); }");
                if (assigned.status() == Snippet.Status.REJECTED || assigned.exception() != null) {
                    String why = assigned.exception() != null ? String.valueOf(assigned.exception().getMessage())
                            : diagnostics(assigned.snippet());
                    if (shell.status(declaredEvent.snippet()).isActive()) {
                        shell.drop(declaredEvent.snippet());
                    }
                    throw new IllegalArgumentException(what + why);
                }
            } finally {
                ValueHandoff.withdraw(token);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tries to decode each JSON value as its declared type, as the node will with the same classes
     * (a variable declared with an interface type, say, does not decode), without declaring
     * anything: one statement for all of them.
     *
     * @return why, for each index whose value does not decode; empty when all do
     */
    public Map<Integer, String> undecodable(List<String> types, List<String> jsons) {
        return undecodable(types, jsons, org.hpckernel.values.SerialValues.Limits.DEFAULT.maxBytes());
    }

    /** As {@link #undecodable(List, List)}; a value in binary form may be up to {@code maxBinaryBytes} long. */
    public Map<Integer, String> undecodable(List<String> types, List<String> jsons, long maxBinaryBytes) {
        Map<Integer, String> problems = new java.util.TreeMap<>();
        List<String> tokens = new ArrayList<>();
        StringBuilder statement = new StringBuilder("{");
        lock.lock();
        try {
            requireStarted();
            for (int i = 0; i < types.size(); i++) {
                String declared = types.get(i) == null ? "" : types.get(i).strip();
                if (declared.isEmpty() || !TYPE.matcher(declared).matches()) {
                    problems.put(i, "`" + types.get(i) + "` is not a Java type");
                    tokens.add(null);
                    continue;
                }
                String token = ValueHandoff.offer(jsons.get(i), PRIMITIVES.get(declared), maxBinaryBytes);
                tokens.add(token);
                statement.append(" try { ").append(HANDOFF).append(".decode(\"").append(token)
                        .append("\", new org.hpckernel.values.TypeCapture<").append(BOXES.getOrDefault(declared, declared))
                        .append(">() {}").append(notebookTypes(jsons.get(i))).append("); } catch (Exception e) { }");
            }
            try {
                SnippetEvent checked = evalInternal(statement.append(" }").toString());
                for (int i = 0; i < tokens.size(); i++) {
                    if (tokens.get(i) == null) continue;
                    if (checked.status() == Snippet.Status.REJECTED) {
                        problems.put(i, diagnostics(checked.snippet()));
                    } else {
                        MalformedValueException failure = ValueHandoff.failure(tokens.get(i));
                        if (failure != null) problems.put(i, failure.getMessage());
                    }
                }
            } finally {
                tokens.stream().filter(java.util.Objects::nonNull).forEach(ValueHandoff::withdraw);
            }
            return problems;
        } finally {
            lock.unlock();
        }
    }

    /** True if the session declares a type of this simple name (shadowing java.lang's, say). */
    private boolean declaresType(String name) {
        return shell.types().anyMatch(t -> t.name().equals(name) && shell.status(t).isActive());
    }

    /**
     * For a value in binary form: the notebook's current types as class literals ({@code , Point.class}),
     * which the session resolves, so that a stream naming {@code Point} binds to the Point of now.
     */
    private String notebookTypes(String text) {
        if (!SerialValues.isBinary(text)) return "";
        StringBuilder literals = new StringBuilder();
        shell.types().filter(t -> shell.status(t) == Snippet.Status.VALID && !startupSnippetIds.contains(t.id()))
                .map(TypeDeclSnippet::name).distinct().forEach(name -> literals.append(", ").append(name).append(".class"));
        return literals.toString();
    }

    /**
     * The loader that defines the session's classes (its snippets') and those of its jars: the
     * notebook's own classes, as far as values in binary form are concerned.
     */
    public ClassLoader sessionClassLoader() {
        lock.lock();
        try {
            requireStarted();
            return control.snippetLoader();
        } finally {
            lock.unlock();
        }
    }

    /** Makes a jar or directory (or several, joined with the path separator) usable by cells. */
    public void addToClasspath(String path) {
        lock.lock();
        try {
            requireStarted();
            shell.addToClasspath(path);
            addedClasspath.add(path);
            if (direct != null) {
                direct.classpath(compileClasspath());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The constructor's extra entries and everything added since, in order. */
    public List<String> classpath() {
        lock.lock();
        try {
            List<String> all = new ArrayList<>(extraClasspath);
            all.addAll(addedClasspath);
            return all;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        interrupt();
        lock.lock();
        try {
            if (shell != null) {
                shell.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private CellResult evalCell(String code, RunningCell cell, String label) {
        LineIndex text = new LineIndex(code);
        List<CellSnippet> snippets = SnippetSplitter.split(shell.sourceCodeAnalysis(), code);
        CellResult result = CellResult.noValue();
        for (int i = 0; i < snippets.size(); i++) {
            if (cell.interrupted()) {
                return CellResult.failed(CellError.interrupted());
            }
            CellSnippet snippet = snippets.get(i);
            boolean last = i == snippets.size() - 1;
            String written = code.substring(snippet.start(), snippet.end());
            if (direct != null && snippet.complete()) {
                CellResult ran = direct.run(written, cell, label, text.lineOf(snippet.start()));
                if (ran != null) {
                    if (ran.isError() || last) {
                        return ran;
                    }
                    continue;
                }
            }
            String body = last ? ValueDeclaration.valueBody(written) : null;
            List<SnippetEvent> own = body != null ? evalAsValue(body) : null;
            if (own == null) {
                own = evalOwn(snippet.source());
            }
            for (SnippetEvent event : own) {
                origins.record(event.snippet().id(), cell.number(), label, text.lineOf(snippet.start()));
            }
            CellError error = cell.interrupted() ? CellError.interrupted() : errorOf(own, text, snippet, cell);
            if (error != null) {
                dropTemporaries(own);
                return CellResult.failed(error);
            }
            noteUnusableDeclarations(own);
            result = last && !own.isEmpty() ? valueOf(own.get(own.size() - 1)) : CellResult.noValue();
            dropTemporaries(own);
        }
        return result;
    }

    /** A value expression through {@link ValueDeclaration}; null when it did not run. */
    private List<SnippetEvent> evalAsValue(String body) {
        String declaration = ValueDeclaration.declaration(body, ++valueCount);
        List<SnippetEvent> own = evalOwn(declaration);
        if (ValueDeclaration.declared(own)) {
            return own;
        }
        for (SnippetEvent event : own) {
            if (shell.status(event.snippet()).isActive()) {
                shell.drop(event.snippet());
            }
        }
        return null;
    }

    /** The events of the snippets {@code source} itself created, not of those it affected. */
    private List<SnippetEvent> evalOwn(String source) {
        return shell.eval(source).stream()
                .filter(e -> e.causeSnippet() == null)
                .collect(Collectors.toList());
    }

    private CellError errorOf(List<SnippetEvent> events, LineIndex text, CellSnippet snippet, RunningCell cell) {
        for (SnippetEvent event : events) {
            if (event.status() == Snippet.Status.REJECTED) {
                List<Diag> errors = shell.diagnostics(event.snippet()).filter(Diag::isError).collect(Collectors.toList());
                return tracebacks.compilationError(text, snippet, errors);
            }
            if (event.exception() != null) {
                return tracebacks.runtimeError(shell, event.exception(), cell.number());
            }
        }
        return null;
    }

    /** The real object behind an expression's value, not JShell's string for it. */
    private CellResult valueOf(SnippetEvent event) {
        Snippet snippet = event.snippet();
        VarSnippet variable = null;
        if (snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || ValueDeclaration.isValueVariable(snippet)) {
            variable = (VarSnippet) snippet;
        } else if (snippet.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
            String name = ((ExpressionSnippet) snippet).name();
            variable = shell.variables().filter(v -> v.name().equals(name)).reduce((a, b) -> b).orElse(null);
        }
        if (variable == null || shell.status(variable) != Snippet.Status.VALID) {
            return CellResult.noValue();
        }
        shell.varValue(variable);
        Object value = control.takeLastValue();
        return value == StoppableExecutionControl.NO_VALUE ? CellResult.noValue() : CellResult.of(value);
    }

    /**
     * Temporary {@code $n} variables (and {@link ValueDeclaration}'s) pile up and slow every later
     * compile: each live declaration is an import of every later snippet. Drop them at once.
     */
    private void dropTemporaries(List<SnippetEvent> events) {
        for (SnippetEvent event : events) {
            Snippet snippet = event.snippet();
            boolean temporary = snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                    || ValueDeclaration.isValueVariable(snippet);
            if (temporary && shell.status(snippet).isActive()) {
                shell.drop(snippet);
            }
        }
    }

    /** Like the jshell tool: accepted, but not usable until something else is declared. */
    private void noteUnusableDeclarations(List<SnippetEvent> events) {
        for (SnippetEvent event : events) {
            if (event.snippet() instanceof DeclarationSnippet declaration
                    && (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                        || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                System.err.println("created " + SnippetNames.describe(declaration) + ", however, it cannot be "
                        + SnippetNames.useVerb(declaration) + " " + SnippetNames.untilDeclared(shell, declaration));
            }
        }
    }

    /** The event of the snippet {@code source} itself (one snippet), not of those it affects. */
    private SnippetEvent evalInternal(String source) {
        return shell.eval(source).stream()
                .filter(e -> e.causeSnippet() == null)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("JShell returned no event for " + source));
    }

    private String diagnostics(Snippet snippet) {
        String messages = shell.diagnostics(snippet).filter(Diag::isError)
                .map(d -> SnippetNames.clean(d.getMessage(null)).replaceAll("\\s+", " "))
                .collect(Collectors.joining("; "));
        return messages.isEmpty() ? "JShell rejected the declaration" : messages;
    }

    /** Evaluates startup code outside any cell; returns the ids it created. */
    private List<String> evalQuietly(String source) {
        List<String> ids = new ArrayList<>();
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() == null) {
                ids.add(event.snippet().id());
                if (event.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("startup snippet rejected: " + source + " "
                            + shell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).collect(Collectors.toList()));
                }
            }
        }
        return ids;
    }

    /**
     * Runs a method, a class and an expression cell once through JShell, and starts warming the
     * direct path's compiler in the background ({@link DirectSnippets#warmUpAside}), so the user's
     * first cell is not the slow one. The class lives inside a statement: dropping
     * a class snippet breaks JShell's documentation() on JDK 25, and statements need no dropping.
     */
    private void warmUp() {
        List<Snippet> created = new ArrayList<>();
        for (String source : List.of("int $hpcWarmUp(int x) { return x + 1; }",
                "{ class HpcWarmUp { int f() { return $hpcWarmUp(1); } } new HpcWarmUp().f(); }")) {
            for (SnippetEvent event : shell.eval(source)) {
                if (event.causeSnippet() == null && event.snippet().kind() != Snippet.Kind.STATEMENT) {
                    created.add(event.snippet());
                }
            }
        }
        for (Snippet snippet : created) {
            if (shell.status(snippet).isActive()) {
                shell.drop(snippet);
            }
        }
        if (direct != null) {
            direct.warmUpAside();
        }
        evalCell("1 + 1", new RunningCell(0), "warm-up");
    }

    private void requireStarted() {
        if (shell == null) {
            throw new IllegalStateException("JavaEvaluator.start() was not called");
        }
    }

    /**
     * Waits until the compiler that runs most cells outside JShell has warmed up in the
     * background (cells take JShell's path until then); for tests and the class-data-sharing
     * training run, which want that path from the first cell.
     *
     * @return false if it was still warming up after {@code millis}
     */
    public boolean awaitWarmUp(long millis) throws InterruptedException {
        requireStarted();
        return direct == null || direct.awaitWarm(millis);
    }

    /** How many snippets ran without JShell compiling them (see {@link DirectSnippets}). */
    int directCells() {
        return direct == null ? 0 : direct.ran();
    }

    /** What JShell compiles snippets against: this JVM's class path, the engine, the user's jars. */
    private List<String> compileClasspath() {
        List<String> path = new ArrayList<>(List.of(System.getProperty("java.class.path", ""), engineLocation()));
        path.addAll(classpath());
        return path;
    }

    /** Where Display lives (jar or classes directory), so snippets can compile against it. */
    private static String engineLocation() {
        CodeSource source = Display.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot locate the classes of " + Display.class.getName());
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new File(source.getLocation().getPath()).getPath();
        }
    }
}
