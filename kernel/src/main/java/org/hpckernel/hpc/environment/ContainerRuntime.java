package org.hpckernel.hpc.environment;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The container runtimes a cluster can have. Apptainer and its predecessor Singularity share one
 * command syntax ({@code exec --cleanenv --bind SRC[:DST] --pwd DIR [--nv] IMAGE CMD…}, variables
 * passed into a clean environment as {@code APPTAINERENV_NAME} / {@code SINGULARITYENV_NAME});
 * Charliecloud's {@code ch-run} runs a directory (or SquashFS) image unprivileged and passes the
 * host's environment through, so the job script clears it with {@code env -i} itself.
 */
public enum ContainerRuntime {
    APPTAINER("apptainer", "APPTAINERENV_"),
    SINGULARITY("singularity", "SINGULARITYENV_"),
    CHARLIECLOUD("ch-run", null);

    private final String command;
    private final String envPrefix;

    ContainerRuntime(String command, String envPrefix) {
        this.command = command;
        this.envPrefix = envPrefix;
    }

    /** The command on the node's PATH. */
    public String command() {
        return command;
    }

    /** The profile's name for it. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Apptainer/Singularity: the prefix that passes a variable into a --cleanenv container. */
    public String envPrefix() {
        return envPrefix;
    }

    public static Optional<ContainerRuntime> byKey(String key) {
        return Arrays.stream(values()).filter(r -> r.key().equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(ContainerRuntime::key).toList();
    }
}
