package org.hpckernel.install;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the java that kernel.json will start: the one the user named, or the one running us. */
public final class JavaExecutable {
    private JavaExecutable() {}

    public static Path resolve(Optional<String> requested, InstallEnvironment environment) throws UsageException {
        return requested.isPresent() ? requested(requested.get(), environment) : running();
    }

    /** The running JVM: it demonstrably runs this jar, so it is the safest default. */
    public static Path running() {
        Optional<Path> command = ProcessHandle.current().info().command().map(Path::of).filter(Files::isExecutable);
        return command.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", executableName("java")))
                .toAbsolutePath().normalize();
    }

    private static Path requested(String raw, InstallEnvironment environment) throws UsageException {
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw new UsageException("--java '" + raw + "' is not a valid path: " + e.getMessage());
        }
        if (!Files.exists(path) && path.getNameCount() == 1 && !path.isAbsolute()) {
            path = onPath(raw, environment).orElse(path); // "--java java21" like a shell would find it
        }
        if (Files.isDirectory(path)) {
            // Accept a JDK home too: people copy those from `module avail` / SDKMAN output.
            Path inHome = path.resolve("bin").resolve(executableName("java"));
            if (!Files.isRegularFile(inHome)) {
                throw new UsageException("--java '" + raw + "' is a directory without bin/java;"
                        + " pass the java executable itself, e.g. --java /usr/lib/jvm/java-21/bin/java");
            }
            path = inHome;
        }
        if (!Files.exists(path)) {
            throw new UsageException("--java '" + raw + "' does not exist; pass the path of a java executable"
                    + " (Java 17 or newer), e.g. --java /usr/lib/jvm/java-21/bin/java");
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new UsageException("--java '" + raw + "' is not an executable file; check its permissions (chmod +x)");
        }
        // Absolute but not symlink-resolved: a /usr/bin/java alternative keeps following JDK updates.
        return path.toAbsolutePath().normalize();
    }

    private static Optional<Path> onPath(String name, InstallEnvironment environment) {
        String searchPath = environment.variable("PATH").orElse("");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            try {
                for (String candidate : new String[] {name, executableName(name)}) {
                    Path path = Path.of(dir, candidate);
                    if (Files.isRegularFile(path) && Files.isExecutable(path)) return Optional.of(path);
                }
            } catch (InvalidPathException ignored) {
                // A garbage PATH entry should not stop the search.
            }
        }
        return Optional.empty();
    }

    private static String executableName(String name) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return windows && !name.endsWith(".exe") ? name + ".exe" : name;
    }
}
