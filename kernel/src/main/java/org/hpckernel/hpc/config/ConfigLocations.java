package org.hpckernel.hpc.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where things live on this machine, from the environment and the home directory (both passed
 * in, so tests need not touch the real ones). Follows the XDG base directory spec, which says to
 * ignore relative or empty XDG_* values.
 */
record ConfigLocations(Map<String, String> env, Path home) {
    static final String CONFIG_VARIABLE = "HPC_KERNEL_CONFIG";

    /** The file to read: $HPC_KERNEL_CONFIG, else $XDG_CONFIG_HOME/hpc-kernel/clusters.json. */
    Path configFile() {
        Optional<String> explicit = nonBlank(CONFIG_VARIABLE);
        // "~/" too, since a kernelspec's env block is not expanded by a shell.
        if (explicit.isPresent()) return expandHome(explicit.get());
        return xdg("XDG_CONFIG_HOME", home.resolve(".config")).resolve("hpc-kernel").resolve("clusters.json");
    }

    /** Set explicitly, so a missing file is an error rather than a quiet fallback to "local". */
    boolean configFileIsExplicit() {
        return nonBlank(CONFIG_VARIABLE).isPresent();
    }

    /** Job directories of the implicit local cluster: $XDG_DATA_HOME/hpc-kernel/jobs-root. */
    Path localJobsRoot() {
        return xdg("XDG_DATA_HOME", home.resolve(".local").resolve("share")).resolve("hpc-kernel").resolve("jobs-root")
                .toAbsolutePath().normalize();
    }

    /** The java that runs this kernel: certain to exist and to be recent enough for the runner. */
    static String runningJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** "~/" then a path on this machine; other paths as they are. */
    Path expandHome(String path) {
        if (path.equals("~")) return home.toAbsolutePath().normalize();
        if (path.startsWith("~/")) return home.resolve(path.substring(2)).toAbsolutePath().normalize();
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** A path as shown in messages: under the home directory written with "~/", as the user would. */
    String shown(Path path) {
        Path h = home.toAbsolutePath().normalize();
        Path p = path.toAbsolutePath().normalize();
        if (p.startsWith(h) && !p.equals(h)) return "~/" + h.relativize(p).toString().replace('\\', '/');
        return p.toString();
    }

    private Path xdg(String variable, Path fallback) {
        return nonBlank(variable).map(Path::of).filter(Path::isAbsolute).orElse(fallback);
    }

    private Optional<String> nonBlank(String variable) {
        return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank());
    }
}
