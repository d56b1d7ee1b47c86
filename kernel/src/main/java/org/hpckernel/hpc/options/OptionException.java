package org.hpckernel.hpc.options;

/**
 * A {@code %%hpc} option line that cannot be used: unknown option, missing or bad value, an option
 * given twice. The message names the option and says what is expected; the notebook layer shows it
 * as a usage error.
 */
public final class OptionException extends Exception {
    public OptionException(String message) {
        super(message);
    }
}
