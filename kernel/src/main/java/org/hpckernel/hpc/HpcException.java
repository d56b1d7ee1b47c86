package org.hpckernel.hpc;

/**
 * The HPC layer could not do what a cell asked. The message says what was wrong and how to fix it;
 * the kind says which part failed, so the notebook layer can name the error without parsing text.
 */
public final class HpcException extends Exception {
    /** Which part failed. */
    public enum Kind {
        /** Wrong use: a bad option value, an unusable cluster name. */
        USAGE,
        /** clusters.json or a profile value cannot be used. */
        CONFIG,
        /** The cluster cannot be reached or does not answer. */
        CONNECTION,
        /** The job ledger cannot be opened. */
        LEDGER
    }

    private final Kind kind;

    public HpcException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
