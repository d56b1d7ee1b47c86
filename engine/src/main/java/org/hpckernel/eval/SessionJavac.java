package org.hpckernel.eval;

import com.sun.source.util.JavacTask;
import com.sun.tools.javac.api.JavacTaskImpl;
import com.sun.tools.javac.api.JavacTaskPool;
import com.sun.tools.javac.code.ClassFinder;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.ModuleSymbol;
import com.sun.tools.javac.code.Symbol.PackageSymbol;
import com.sun.tools.javac.code.Symtab;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Names;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * One javac kept warm for the whole session (the way JShell keeps its own), compiling small
 * classes of the {@code REPL} package against the session's classes. What it knows of the
 * {@code REPL} package is thrown away only when the session has loaded new classes since the
 * last compilation; everything else javac read (the JDK, the class path) stays. That is what
 * makes a cell's cost independent of how many declarations the session holds.
 *
 * <p>Thread-safe: compilations take turns.
 *
 * <p>Reaches into javac's internals (the task pool, the symbol table), which the JDK exports only
 * on request: the kernel jar's manifest asks ({@code Add-Exports}). Without the exports there is
 * no {@link DirectSnippets} and cells take JShell's path.
 */
final class SessionJavac {
    private static final List<String> OPTIONS = List.of("-proc:none", "-implicit:none", "-Xlint:none", "-nowarn");

    /** What a compilation produced: classes by binary name, or javac's codes of its errors instead. */
    record Compiled(Map<String, byte[]> classes, List<String> errors) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    private final Supplier<Map<String, byte[]>> sessionClasses;
    private final IntSupplier sessionVersion;
    private final String ownPrefix;
    private List<File> path = List.of();
    // Made by the first compilation, so that building this object costs nothing up front.
    private StandardJavaFileManager standard;
    private ReplClassFiles files;
    private JavacTaskPool pool;
    private int compiledAtVersion = -1;

    /**
     * @param sessionClasses the session's loaded classes, binary name to bytes
     * @param sessionVersion changes whenever the session loads a class
     * @param ownPrefix binary-name prefix of the classes compiled here
     */
    SessionJavac(Supplier<Map<String, byte[]>> sessionClasses, IntSupplier sessionVersion, String ownPrefix) {
        this.sessionClasses = sessionClasses;
        this.sessionVersion = sessionVersion;
        this.ownPrefix = ownPrefix;
    }

    /** The class path cells compile against; what javac cached of the old one is dropped. */
    synchronized void classpath(List<String> entries) {
        List<File> files = new ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(File.pathSeparator)) {
                if (!part.isEmpty()) {
                    files.add(new File(part));
                }
            }
        }
        path = List.copyOf(files);
        if (standard != null) {
            usePath();
            pool = new JavacTaskPool(1);
        }
    }

    private void usePath() {
        try {
            standard.setLocation(StandardLocation.CLASS_PATH, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles one source file holding {@code binaryName}. */
    synchronized Compiled compile(String binaryName, String source) {
        if (standard == null) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            standard = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
            files = new ReplClassFiles(standard, sessionClasses, ownPrefix);
            usePath();
            pool = new JavacTaskPool(1);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean purge = compiledAtVersion != sessionVersion.getAsInt();
        files.takeCompiled();
        Boolean ok = pool.getTask(null, files, diagnostics, OPTIONS, null, List.of(new Source(binaryName, source)),
                task -> {
                    Context context = ((JavacTaskImpl) task).getContext();
                    if (purge) {
                        forgetReplPackage(context);
                    }
                    return ((JavacTask) task).call();
                });
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(Diagnostic::getCode).toList();
        Map<String, byte[]> classes = files.takeCompiled();
        if (Boolean.TRUE.equals(ok) && errors.isEmpty()) {
            return new Compiled(classes, List.of());
        }
        return new Compiled(Map.of(), errors.isEmpty() ? List.of("compiler.err.failed") : errors);
    }

    /** Call once the compiled classes are loaded: they are not something javac needs to re-list. */
    synchronized void loaded() {
        compiledAtVersion = sessionVersion.getAsInt();
    }

    /** As JShell does after each of its tasks, but only when the session's classes changed. */
    private static void forgetReplPackage(Context context) {
        Symtab symbols = Symtab.instance(context);
        ModuleSymbol module = symbols.java_base == symbols.noModule ? symbols.noModule : symbols.unnamedModule;
        PackageSymbol repl = symbols.getPackage(module, Names.instance(context).fromString(ReplClassFiles.PACKAGE));
        if (repl == null) {
            return;
        }
        List<ClassSymbol> stale = new ArrayList<>();
        for (ClassSymbol type : symbols.getAllClasses()) {
            if (type.packge() == repl) {
                stale.add(type);
            }
        }
        for (ClassSymbol type : stale) {
            symbols.removeClass(module, type.flatName());
        }
        repl.members_field = null;
        repl.completer = ClassFinder.instance(context).getCompleter();
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String binaryName, String text) {
            super(URI.create("mem:///" + binaryName.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
