package org.hpckernel.hpc.config;

/**
 * Caps on the notebook values a job carries: {@code maxInputBytes} for the values shipped with it
 * (in total), {@code maxOutputBytes} for what it returns. Above either the cell fails; nothing is cut.
 */
public record ValueCaps(long maxInputBytes, long maxOutputBytes) {
    public static final long DEFAULT_MAX_INPUT = 1L << 20;
    public static final long DEFAULT_MAX_OUTPUT = 64L << 20;

    public ValueCaps {
        if (maxInputBytes <= 0 || maxOutputBytes <= 0) throw new IllegalArgumentException("caps must be positive");
    }

    public static ValueCaps defaults() {
        return new ValueCaps(DEFAULT_MAX_INPUT, DEFAULT_MAX_OUTPUT);
    }
}
