package org.hpckernel.hpc.config;


/**
 * clusters.json could not be used. The message always names the file and, where it applies, the
 * line, the cluster, the key and what was expected: it is shown in the cell as is, never as a
 * stack trace, and must be enough to fix the file.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

}
