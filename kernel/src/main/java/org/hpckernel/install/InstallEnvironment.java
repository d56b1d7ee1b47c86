package org.hpckernel.install;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything outside the command line that decides where a kernelspec goes. Injected so tests can
 * pretend to be another user, another OS or a machine without Python.
 *
 * @param env environment variables (JUPYTER_DATA_DIR, XDG_DATA_HOME, VIRTUAL_ENV, CONDA_PREFIX, PATH...)
 * @param home the user's home directory
 * @param osName as {@code os.name} reports it
 * @param pythonSysPrefix asked only for {@code --sys-prefix} when neither VIRTUAL_ENV nor CONDA_PREFIX is set
 */
public record InstallEnvironment(
        Map<String, String> env, Path home, String osName, Supplier<Optional<Path>> pythonSysPrefix) {

    public InstallEnvironment {
        env = Map.copyOf(env);
    }

    public static InstallEnvironment system() {
        return new InstallEnvironment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                System.getProperty("os.name", ""),
                PythonSysPrefix::query);
    }

    /** The variable's value, or empty when unset or blank (Jupyter treats both as unset). */
    public Optional<String> variable(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public boolean isMac() {
        return osName.toLowerCase(Locale.ROOT).startsWith("mac");
    }

    public boolean isWindows() {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
