package org.hpckernel.hpc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import com.google.gson.Gson;
import org.hpckernel.display.Display;
import org.hpckernel.runner.RunnerMain;
import org.hpckernel.translate.DeterministicJar;

/**
 * The jar a compute node runs, cut out of this kernel's own classes (the runner and engine modules
 * are inside the kernel jar), so the kernel needs nothing beside itself. Entries are sorted and timestamps
 * fixed: the same kernel build always gives the same bytes, hence the same SHA-256, so a work
 * directory keeps exactly one copy per version.
 */
public final class RunnerJar {
    // Gson is relocated in the kernel jar (org/hpckernel/shaded/gson) and not in a build tree.
    private static final String[] PACKAGES = {"org/hpckernel/runner/", "org/hpckernel/eval/", "org/hpckernel/display/",
            "org/hpckernel/values/", "org/hpckernel/translate/CellLines", "org/hpckernel/shaded/gson/", "com/google/gson/"};
    private static volatile RunnerJar cached;

    private final byte[] bytes;
    private final String sha256;

    private RunnerJar(byte[] bytes) {
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
    }

    public static RunnerJar get() throws IOException {
        RunnerJar jar = cached;
        if (jar == null) {
            jar = new RunnerJar(DeterministicJar.of(RunnerMain.class.getName(), collect()));
            cached = jar;
        }
        return jar;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public long size() {
        return bytes.length;
    }

    public String sha256() {
        return sha256;
    }

    private static Map<String, byte[]> collect() throws IOException {
        // One class per module: in the kernel jar they share a location; in a build tree (tests)
        // the runner and the engine are separate classes directories.
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : List.of(RunnerMain.class, Display.class, Gson.class)) sources.add(location(c));
        Map<String, byte[]> entries = new TreeMap<>();
        for (Path source : sources) collect(source, entries);
        for (String required : List.of("org/hpckernel/runner/RunnerMain.class", "org/hpckernel/display/Display.class")) {
            if (!entries.containsKey(required)) throw new IOException(required + " not found in " + sources);
        }
        return entries;
    }

    private static Path location(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the runner classes", e);
        }
    }

    private static void collect(Path source, Map<String, byte[]> entries) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String name = source.relativize(f).toString().replace('\\', '/');
                    if (wanted(name)) entries.put(name, Files.readAllBytes(f));
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                    if (!e.isDirectory() && wanted(e.getName())) {
                        try (InputStream in = jar.getInputStream(e)) {
                            entries.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
    }

    private static boolean wanted(String name) {
        for (String p : PACKAGES) {
            if (name.startsWith(p) && name.endsWith(".class")) return true;
        }
        return false;
    }

    static String sha256(byte[] data) {
        return DeterministicJar.sha256(data);
    }
}
