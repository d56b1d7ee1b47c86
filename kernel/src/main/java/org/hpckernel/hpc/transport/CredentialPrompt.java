package org.hpckernel.hpc.transport;

import java.io.IOException;

/**
 * Asks the notebook user for a secret or an answer while an SSH login is in progress: a key's
 * passphrase, a password, a one-time code. The kernel implements it with Jupyter's stdin channel
 * ({@code input_request}, {@code password: true} when {@code echo} is false); a frontend without
 * stdin (nbclient, papermill, CI) makes {@link #ask} throw
 * {@code org.hpckernel.display.StdinUnavailableException}. The SSH transport never logs what comes
 * back.
 */
@FunctionalInterface
public interface CredentialPrompt {
    /**
     * Shows {@code prompt} (which may span several lines) and returns what the user typed, or null
     * when the user cancelled.
     */
    String ask(String prompt, boolean echo) throws IOException;

    /**
     * False when {@link #ask} certainly cannot reach a person (no cell is running, or its frontend
     * has no stdin). The transport then fails at once instead of logging in only to be refused,
     * and a background reconnect does not hammer a login node that wants a one-time code.
     */
    default boolean interactive() {
        return true;
    }

    /** A prompt that can never ask: logins that need an answer fail with a clear message. */
    static CredentialPrompt none() {
        return new CredentialPrompt() {
            @Override
            public String ask(String prompt, boolean echo) throws IOException {
                throw new IOException("nobody to ask: no interactive cell is running");
            }

            @Override
            public boolean interactive() {
                return false;
            }
        };
    }
}
