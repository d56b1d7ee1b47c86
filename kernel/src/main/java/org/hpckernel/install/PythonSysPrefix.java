package org.hpckernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Asks the Python on PATH for its {@code sys.prefix}: that is where its Jupyter looks for "system" kernels. */
final class PythonSysPrefix {
    private static final long TIMEOUT_SECONDS = 15;

    private PythonSysPrefix() {}

    static Optional<Path> query() {
        // "python" as a fallback because Windows and some conda installs have no python3 launcher.
        for (String python : List.of("python3", "python")) {
            Optional<Path> prefix = ask(python);
            if (prefix.isPresent()) return prefix;
        }
        return Optional.empty();
    }

    private static Optional<Path> ask(String python) {
        Process process;
        try {
            process = new ProcessBuilder(python, "-c", "import sys; print(sys.prefix)")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException notOnPath) {
            return Optional.empty();
        }
        try {
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            String prefix = new String(out, StandardCharsets.UTF_8).strip();
            return prefix.isEmpty() ? Optional.empty() : Optional.of(Path.of(prefix));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            process.destroyForcibly();
        }
    }
}
