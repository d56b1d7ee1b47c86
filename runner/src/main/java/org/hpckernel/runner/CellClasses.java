package org.hpckernel.runner;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.hpckernel.values.CellProgram;

/**
 * The compiled cell, loaded: its jar (checked against the SHA-256 the kernel computed, so a
 * half-copied or replaced file is never run) and the session's jars, in a class loader whose parent
 * is the runner's own, so the cell and the runner share the values and display API classes.
 */
final class CellClasses {
    private final URLClassLoader loader;
    private final Set<String> classNames;

    private CellClasses(URLClassLoader loader, Set<String> classNames) {
        this.loader = loader;
        this.classNames = classNames;
    }

    static CellClasses open(JobInputs.Program program, List<String> classpath) throws JobInputs.SetupException {
        Path jar = program.jar();
        if (!Files.isRegularFile(jar)) {
            throw new JobInputs.SetupException("the cell's compiled classes are not on this node: " + jar
                    + " (is the work directory on a file system the nodes share?)");
        }
        String actual = sha256(jar);
        if (!actual.equalsIgnoreCase(program.jarSha256())) {
            throw new JobInputs.SetupException("the cell's compiled classes " + jar + " are not what the kernel compiled"
                    + " (SHA-256 " + actual + ", expected " + program.jarSha256() + "); submit the cell again");
        }
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(jar.toUri().toURL());
            for (String entry : classpath) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        } catch (MalformedURLException | RuntimeException e) {
            throw new JobInputs.SetupException("bad class path entry: " + e.getMessage());
        }
        URLClassLoader loader = new URLClassLoader("hpc-cell", urls.toArray(URL[]::new), CellClasses.class.getClassLoader());
        return new CellClasses(loader, classNames(jar));
    }

    ClassLoader loader() {
        return loader;
    }

    /** True for a class compiled from the cell or the notebook (in the cell's jar), not a library's. */
    boolean isCellClass(String className) {
        return classNames.contains(className);
    }

    /**
     * An instance of the cell's program class.
     *
     * @throws JobInputs.SetupException if the class is missing or not a CellProgram
     * @throws ReflectiveOperationException if its constructor (or a static initializer) fails
     */
    CellProgram program(String mainClass) throws JobInputs.SetupException, ReflectiveOperationException {
        Class<?> type;
        try {
            type = Class.forName(mainClass, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new JobInputs.SetupException("the cell's class " + mainClass + " cannot be loaded: " + e);
        }
        if (!CellProgram.class.isAssignableFrom(type)) {
            throw new JobInputs.SetupException(mainClass + " is not a " + CellProgram.class.getName());
        }
        return (CellProgram) type.getDeclaredConstructor().newInstance();
    }

    private static Set<String> classNames(Path jar) throws JobInputs.SetupException {
        Set<String> names = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.contains("-info")) {
                    names.add(name.substring(0, name.length() - 6).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new JobInputs.SetupException("the cell's compiled classes " + jar + " are not a readable jar: " + e);
        }
        return names;
    }

    private static String sha256(Path file) throws JobInputs.SetupException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new JobInputs.SetupException("cannot read the cell's compiled classes " + file + ": " + e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
