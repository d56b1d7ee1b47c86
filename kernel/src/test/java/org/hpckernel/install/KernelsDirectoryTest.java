package org.hpckernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KernelsDirectoryTest {
    static final Path HOME = Path.of("/home/ada");

    static InstallEnvironment linux(Map<String, String> env) {
        return new InstallEnvironment(env, HOME, "Linux", Optional::empty);
    }

    static Path resolve(Location location, InstallEnvironment env) throws InstallException {
        return KernelsDirectory.resolve(location, env);
    }

    @Test
    void userDefaultsToXdgDataDir() throws InstallException {
        assertEquals(Path.of("/home/ada/.local/share/jupyter/kernels"), resolve(Location.USER, linux(Map.of())));
    }

    @Test
    void userFollowsXdgDataHome() throws InstallException {
        assertEquals(Path.of("/data/xdg/jupyter/kernels"),
                resolve(Location.USER, linux(Map.of("XDG_DATA_HOME", "/data/xdg"))));
    }

    @Test
    void jupyterDataDirWinsOverXdg() throws InstallException {
        var env = linux(Map.of("XDG_DATA_HOME", "/data/xdg", "JUPYTER_DATA_DIR", "/data/jupyter"));
        assertEquals(Path.of("/data/jupyter/kernels"), resolve(Location.USER, env));
    }

    @Test
    void blankVariablesCountAsUnset() throws InstallException {
        var env = linux(Map.of("XDG_DATA_HOME", "", "JUPYTER_DATA_DIR", "  "));
        assertEquals(Path.of("/home/ada/.local/share/jupyter/kernels"), resolve(Location.USER, env));
    }

    @Test
    void tildeInAVariableMeansHome() throws InstallException {
        assertEquals(Path.of("/home/ada/jd/kernels"), resolve(Location.USER, linux(Map.of("JUPYTER_DATA_DIR", "~/jd"))));
    }

    @Test
    void macUsesLibraryJupyter() throws InstallException {
        var env = new InstallEnvironment(Map.of(), HOME, "Mac OS X", Optional::empty);
        assertEquals(Path.of("/home/ada/Library/Jupyter/kernels"), resolve(Location.USER, env));
    }

    @Test
    void sysPrefixPrefersVirtualEnvThenConda() throws InstallException {
        assertEquals(Path.of("/venv/share/jupyter/kernels"),
                resolve(Location.SYS_PREFIX, linux(Map.of("VIRTUAL_ENV", "/venv", "CONDA_PREFIX", "/conda"))));
        assertEquals(Path.of("/conda/share/jupyter/kernels"),
                resolve(Location.SYS_PREFIX, linux(Map.of("CONDA_PREFIX", "/conda"))));
    }

    @Test
    void sysPrefixAsksPythonOnlyWhenNoEnvIsActive() throws InstallException {
        AtomicInteger asked = new AtomicInteger();
        var env = new InstallEnvironment(Map.of(), HOME, "Linux", () -> {
            asked.incrementAndGet();
            return Optional.of(Path.of("/usr"));
        });
        assertEquals(Path.of("/usr/share/jupyter/kernels"), resolve(Location.SYS_PREFIX, env));
        assertEquals(1, asked.get());

        var activated = new InstallEnvironment(Map.of("VIRTUAL_ENV", "/venv"), HOME, "Linux", () -> {
            throw new AssertionError("python must not be asked when VIRTUAL_ENV is set");
        });
        resolve(Location.SYS_PREFIX, activated);
    }

    @Test
    void sysPrefixWithNothingToGoOnSaysWhatToDo() {
        InstallException e = assertThrows(InstallException.class, () -> resolve(Location.SYS_PREFIX, linux(Map.of())));
        assertTrue(e.getMessage().contains("--prefix DIR"), e.getMessage());
    }

    @Test
    void prefixIsTakenAsGiven() throws InstallException {
        assertEquals(Path.of("/opt/jup/share/jupyter/kernels"),
                resolve(Location.prefix(Path.of("/opt/jup")), linux(Map.of("JUPYTER_DATA_DIR", "/ignored"))));
    }

    @Test
    void relativePrefixBecomesAbsolute() {
        assertTrue(Location.prefix(Path.of("rel")).prefix().isAbsolute());
    }
}
