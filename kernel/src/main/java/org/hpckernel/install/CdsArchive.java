package org.hpckernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a dynamic class-data-sharing archive by running the installed jar's {@code warmup} once
 * with {@code -XX:ArchiveClassesAtExit}. Kernel start-up is dominated by loading and verifying
 * JShell/javac classes; the archive lets later starts map them instead.
 */
public final class CdsArchive {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** @param reason why no archive was made, for the one line the installer prints; null on success */
    public record Outcome(boolean created, String reason) {
        static Outcome success() {
            return new Outcome(true, null);
        }

        static Outcome skipped(String reason) {
            return new Outcome(false, reason);
        }
    }

    private final Duration timeout;

    public CdsArchive(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Flags that make the kernel use the archive. Logging off because a JDK update invalidates the
     * archive; the JVM then silently runs without it instead of printing warnings at every start.
     */
    public static List<String> runtimeOptions(Path archive) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off");
    }

    /**
     * Runs {@code java -XX:ArchiveClassesAtExit=archive <jvmOptions> -jar jar warmup}. The jar must
     * already be at its final path: the archive records the class path and is ignored if it differs.
     */
    public Outcome create(Path java, List<String> jvmOptions, Path jar, Path archive) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("warmup");

        Path log = null;
        try {
            Files.deleteIfExists(archive);
            log = Files.createTempFile("hpc-kernel-cds", ".log");
            Outcome outcome = run(command, log);
            if (!outcome.created()) {
                Files.deleteIfExists(archive); // a half-dumped archive would only produce warnings later
                return outcome;
            }
            if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
                return Outcome.skipped("warmup succeeded but the JVM wrote no archive" + lastLine(log));
            }
            return Outcome.success();
        } catch (IOException e) {
            return Outcome.skipped("could not run " + java + ": " + e.getMessage());
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // A leftover temp log is harmless.
                }
            }
        }
    }

    private Outcome run(List<String> command, Path log) throws IOException {
        // The warmup writes nothing we want to keep; the system temp dir keeps stray files out of the kernelspec.
        Process process = new ProcessBuilder(command)
                .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close(); // no stdin: a warmup that waits for input fails fast instead of hanging
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return Outcome.skipped("warmup did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Outcome.skipped("interrupted while waiting for warmup");
        }
        int exit = process.exitValue();
        return exit == 0 ? Outcome.success() : Outcome.skipped("warmup exited with code " + exit + lastLine(log));
    }

    /** The last non-blank output line, which is usually the error, as ": line", or "". */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).strip();
                if (!line.isEmpty()) return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Unreadable or not UTF-8: the exit code alone will have to do.
        }
        return "";
    }
}
