package org.hpckernel.eval;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Loads snippet classes and user jars. JShell's default delegate always uses the system class
 * loader as parent; we take the loader that holds this engine instead, so snippets see the very
 * same {@code Display}/{@code OutputCapture} classes as the host however the host was launched.
 */
final class SnippetLoaderDelegate implements LoaderDelegate {
    private final SnippetClassLoader loader;
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();

    SnippetLoaderDelegate(ClassLoader parent) {
        loader = new SnippetClassLoader(parent);
    }

    ClassLoader classLoader() {
        return loader;
    }

    /** Every class given to this loader so far, binary name to bytes (a live, read-only view). */
    Map<String, byte[]> classBytes() {
        return loader.bytecodesView;
    }

    /** Changes whenever a class is given to this loader. */
    int version() {
        return loader.version.get();
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        try {
            for (ClassBytecodes c : classes) {
                loader.declare(c.name(), c.bytecodes());
            }
            for (int i = 0; i < classes.length; i++) {
                Class<?> type = loader.loadClass(classes[i].name());
                loaded.put(classes[i].name(), type);
                installed[i] = true;
                // Links the class now, so a broken one fails here rather than mid-cell.
                type.getDeclaredMethods();
            }
        } catch (Throwable e) {
            throw new ClassInstallException("load: " + e.getMessage(), installed);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        try {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    loader.addPath(Path.of(entry).toUri().toURL());
                }
            }
        } catch (MalformedURLException | RuntimeException e) {
            throw new InternalException("cannot add " + path + " to the class path: " + e);
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = loaded.get(name);
        if (type == null) {
            throw new ClassNotFoundException(name + " not found");
        }
        return type;
    }

    private static final class SnippetClassLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> bytecodes = new ConcurrentHashMap<>();
        private final Map<String, byte[]> bytecodesView = Collections.unmodifiableMap(bytecodes);
        private final AtomicInteger version = new AtomicInteger();

        SnippetClassLoader(ClassLoader parent) {
            super("jshell-snippets", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            bytecodes.put(name, bytes);
            version.incrementAndGet();
        }

        void addPath(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = bytecodes.get(name);
            if (bytes == null) {
                return super.findClass(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        // Bytecode libraries (and some frameworks) read a class's own .class resource.
        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                byte[] bytes = bytecodes.get(name.substring(0, name.length() - 6).replace('/', '.'));
                if (bytes != null) {
                    return new ByteArrayInputStream(bytes);
                }
            }
            return super.getResourceAsStream(name);
        }
    }
}
