package org.hpckernel.translate;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.JavacTask;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.hpckernel.values.CellProgram;

/**
 * javac in this JVM, sources and classes in memory. One file manager per class path is kept, so a
 * warm compile does not re-open the JDK's and the class path's jars.
 */
final class InMemoryJavac {
    /*
     * -XDstringConcat=inline: indy string concatenation spins LambdaForm classes at the node JVM's
     * start that the JDK's class-data archive does not hold, ~90 ms per job for a cell that prints.
     */
    private static final List<String> OPTIONS = List.of("-source", "17", "-target", "17", "-Xlint:-options", "-proc:none", "-g",
            "-XDstringConcat=inline");
    private static final int KEPT_FILE_MANAGERS = 4;
    private static final Map<List<String>, InMemoryJavac> BY_CLASSPATH = new LinkedHashMap<>(8, 0.75f, true);

    private final JavaCompiler compiler;
    private final StandardJavaFileManager fileManager;

    private InMemoryJavac(JavaCompiler compiler, StandardJavaFileManager fileManager) {
        this.compiler = compiler;
        this.fileManager = fileManager;
    }

    /** The compiler for this class path (the engine's own classes are always on it). */
    static InMemoryJavac forClasspath(List<String> classpath) {
        synchronized (BY_CLASSPATH) {
            InMemoryJavac javac = BY_CLASSPATH.get(classpath);
            if (javac == null) {
                JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
                if (compiler == null) {
                    throw new IllegalStateException("no Java compiler in this runtime: run the kernel on a JDK, not a JRE");
                }
                StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
                List<File> path = new ArrayList<>();
                path.add(new File(engineLocation()));
                for (String entry : classpath) {
                    for (String part : entry.split(File.pathSeparator)) {
                        if (!part.isBlank()) {
                            path.add(new File(part));
                        }
                    }
                }
                try {
                    fileManager.setLocation(StandardLocation.CLASS_PATH, path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                javac = new InMemoryJavac(compiler, fileManager);
                BY_CLASSPATH.put(List.copyOf(classpath), javac);
                if (BY_CLASSPATH.size() > KEPT_FILE_MANAGERS) {
                    List<String> eldest = BY_CLASSPATH.keySet().iterator().next();
                    InMemoryJavac evicted = BY_CLASSPATH.remove(eldest);
                    synchronized (evicted) { // not while a compile still uses it
                        try {
                            evicted.fileManager.close();
                        } catch (IOException e) {
                            // Only open jars are lost; nothing to report.
                        }
                    }
                }
            }
            return javac;
        }
    }

    JavaCompiler compiler() {
        return compiler;
    }

    StandardJavaFileManager fileManager() {
        return fileManager;
    }

    /** A compilation of {@code sources} (file name to text), attributed but not yet generated. */
    Run analyze(String packageName, Map<String, String> sources) {
        Map<String, JavaFileObject> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String text = source.getValue();
            URI uri = URI.create("string:///" + packageName.replace('.', '/') + "/" + source.getKey());
            files.put(source.getKey(), new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            });
        }
        return new Run(files);
    }

    /** One javac task; use from one thread, and not concurrently with another run of this compiler. */
    final class Run {
        private final Map<String, JavaFileObject> files;
        private final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        private final Map<String, byte[]> classes = new TreeMap<>();
        private final JavacTask task;
        private final List<CompilationUnitTree> units = new ArrayList<>();

        private Run(Map<String, JavaFileObject> files) {
            this.files = files;
            JavaFileManager memory = new ForwardingJavaFileManager<>(fileManager) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                        FileObject sibling) {
                    return new SimpleJavaFileObject(URI.create("memory:///" + className.replace('.', '/') + kind.extension), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override
                                public void close() {
                                    classes.put(className, toByteArray());
                                }
                            };
                        }
                    };
                }
            };
            task = (JavacTask) compiler.getTask(null, memory, diagnostics, OPTIONS, null, files.values());
        }

        JavacTask task() {
            return task;
        }

        /** Parses and attributes; returns the error diagnostics (warnings are not errors). */
        List<Diagnostic<? extends JavaFileObject>> analyze() {
            synchronized (InMemoryJavac.this) {
                try {
                    for (CompilationUnitTree unit : task.parse()) {
                        units.add(unit);
                    }
                    task.analyze();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return errors();
        }

        List<CompilationUnitTree> units() {
            return units;
        }

        /** The file name a diagnostic's source was given under. */
        String fileName(JavaFileObject source) {
            if (source == null) {
                return null;
            }
            for (Map.Entry<String, JavaFileObject> file : files.entrySet()) {
                if (file.getValue().toUri().equals(source.toUri())) {
                    return file.getKey();
                }
            }
            return null;
        }

        /** Class files by binary name, after a clean {@link #analyze}. */
        Map<String, byte[]> generate() {
            synchronized (InMemoryJavac.this) {
                try {
                    task.generate();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            List<Diagnostic<? extends JavaFileObject>> errors = errors();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("javac failed while writing classes: " + errors.get(0).getMessage(Locale.ENGLISH));
            }
            return classes;
        }

        private List<Diagnostic<? extends JavaFileObject>> errors() {
            List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
                if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(diagnostic);
                }
            }
            return errors;
        }
    }

    /** Where the engine's classes are (jar or directory): generated code compiles against them. */
    static String engineLocation() {
        CodeSource source = CellProgram.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot locate the classes of " + CellProgram.class.getName());
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new File(source.getLocation().getPath()).getPath();
        }
    }
}
