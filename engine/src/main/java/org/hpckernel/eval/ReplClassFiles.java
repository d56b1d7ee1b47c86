package org.hpckernel.eval;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * What javac sees of the session: the JDK and the class path as usual, plus JShell's {@code REPL}
 * package served from the bytes the snippet loader was given (so a cell compiles against exactly
 * the classes that run), and the compiled classes kept in memory.
 */
final class ReplClassFiles extends ForwardingJavaFileManager<StandardJavaFileManager> {
    static final String PACKAGE = "REPL";

    private final Supplier<Map<String, byte[]>> sessionClasses;
    private final String ownPrefix;
    private final Map<String, ClassBytes> files = new ConcurrentHashMap<>();
    private final Map<String, byte[]> compiled = new LinkedHashMap<>();

    /**
     * @param sessionClasses binary name to bytes of every class the session loaded
     * @param ownPrefix binary-name prefix of the classes compiled here, which nothing refers to
     *     and so are not listed
     */
    ReplClassFiles(StandardJavaFileManager standard, Supplier<Map<String, byte[]>> sessionClasses, String ownPrefix) {
        super(standard);
        this.sessionClasses = sessionClasses;
        this.ownPrefix = ownPrefix;
    }

    /** The classes written since the last call, by binary name. */
    Map<String, byte[]> takeCompiled() {
        Map<String, byte[]> taken = new LinkedHashMap<>(compiled);
        compiled.clear();
        return taken;
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
            boolean recurse) throws IOException {
        if (location == StandardLocation.CLASS_PATH && packageName.equals(PACKAGE)
                && kinds.contains(JavaFileObject.Kind.CLASS)) {
            List<JavaFileObject> listed = new ArrayList<>();
            sessionClasses.get().forEach((name, bytes) -> {
                if (name.startsWith(PACKAGE + ".") && !name.startsWith(ownPrefix)) {
                    listed.add(files.compute(name, (k, old) -> old != null && old.bytes == bytes ? old : new ClassBytes(k, bytes)));
                }
            });
            return listed;
        }
        return super.list(location, packageName, kinds, recurse);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        return file instanceof ClassBytes bytes ? bytes.binaryName : super.inferBinaryName(location, file);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        return a instanceof ClassBytes || b instanceof ClassBytes || a instanceof Output || b instanceof Output
                ? a == b : super.isSameFile(a, b);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
            FileObject sibling) {
        return new Output(className);
    }

    private static URI uri(String binaryName, JavaFileObject.Kind kind) {
        return URI.create("mem:///" + binaryName.replace('.', '/') + kind.extension);
    }

    /** One session class, as javac reads it. */
    private static final class ClassBytes extends SimpleJavaFileObject {
        private final String binaryName;
        private final byte[] bytes;

        ClassBytes(String binaryName, byte[] bytes) {
            super(uri(binaryName, Kind.CLASS), Kind.CLASS);
            this.binaryName = binaryName;
            this.bytes = bytes;
        }

        @Override
        public InputStream openInputStream() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** A class javac writes, kept for {@link #takeCompiled()}. */
    private final class Output extends SimpleJavaFileObject {
        private final String binaryName;

        Output(String binaryName) {
            super(uri(binaryName, Kind.CLASS), Kind.CLASS);
            this.binaryName = binaryName;
        }

        @Override
        public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    compiled.put(binaryName, toByteArray());
                }
            };
        }
    }
}
