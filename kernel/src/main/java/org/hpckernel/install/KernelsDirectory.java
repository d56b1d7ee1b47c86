package org.hpckernel.install;

import java.nio.file.Path;
import java.util.Optional;

/** Maps a {@link Location} to the {@code .../jupyter/kernels} directory the way jupyter_core does. */
public final class KernelsDirectory {
    private KernelsDirectory() {}

    public static Path resolve(Location location, InstallEnvironment environment) throws InstallException {
        return switch (location.kind()) {
            case USER -> userDataDir(environment).resolve("kernels");
            case SYS_PREFIX -> underPrefix(sysPrefix(environment));
            case PREFIX -> underPrefix(location.prefix());
        };
    }

    private static Path underPrefix(Path prefix) {
        return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    }

    /** jupyter_core's {@code jupyter_data_dir()}. */
    private static Path userDataDir(InstallEnvironment environment) {
        Optional<String> explicit = environment.variable("JUPYTER_DATA_DIR");
        if (explicit.isPresent()) return absolute(explicit.get(), environment);
        Path home = environment.home();
        if (environment.isMac()) return home.resolve("Library").resolve("Jupyter");
        if (environment.isWindows()) {
            return environment.variable("APPDATA")
                    .map(appData -> Path.of(appData).resolve("jupyter"))
                    .orElse(home.resolve(".jupyter").resolve("data"));
        }
        Path dataHome = environment.variable("XDG_DATA_HOME")
                .map(value -> absolute(value, environment))
                .orElse(home.resolve(".local").resolve("share"));
        return dataHome.resolve("jupyter");
    }

    private static Path sysPrefix(InstallEnvironment environment) throws InstallException {
        // An activated venv or conda env is what the user means by "this environment"; asking
        // Python is the fallback because the python3 on PATH may belong to a different install.
        Optional<String> activated = environment.variable("VIRTUAL_ENV").or(() -> environment.variable("CONDA_PREFIX"));
        if (activated.isPresent()) return absolute(activated.get(), environment);
        return environment.pythonSysPrefix().get()
                .map(Path::toAbsolutePath)
                .orElseThrow(() -> new InstallException(
                        "--sys-prefix: no VIRTUAL_ENV or CONDA_PREFIX is set and running"
                                + " `python3 -c \"import sys; print(sys.prefix)\"` failed."
                                + " Activate the environment that runs Jupyter, or use --prefix DIR."));
    }

    private static Path absolute(String value, InstallEnvironment environment) {
        Path path = Path.of(value);
        if (value.equals("~") || value.startsWith("~/")) {
            path = environment.home().resolve(value.substring(Math.min(2, value.length())));
        }
        return path.toAbsolutePath().normalize();
    }
}
