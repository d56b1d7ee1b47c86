package org.hpckernel.hpc.transport;

import java.io.IOException;

/**
 * An SSH failure with a message written for the notebook user: what went wrong and how to fix
 * it. {@link #kind()} lets the kernel tell a passing network problem (show "reconnecting", try
 * again) from one that needs the user (host key, login).
 */
public final class SshException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The host's key is not in known_hosts (strict checking). */
        HOST_KEY_UNKNOWN(false),
        /** The host's key differs from the one in known_hosts: maybe an attack. */
        HOST_KEY_CHANGED(false),
        /** The server refused the keys, password or one-time code. */
        AUTH_FAILED(false),
        /** The login needs an answer (passphrase, password, code) and nobody can give one. */
        INPUT_UNAVAILABLE(false),
        /** The user cancelled a prompt. */
        AUTH_CANCELLED(false),
        /** No such host name. */
        UNKNOWN_HOST(false),
        /** Nothing listens on the port, or a firewall rejects the connection. */
        CONNECTION_REFUSED(true),
        /** No answer in time. */
        TIMEOUT(true),
        /** Other network trouble: unreachable network, reset connection. */
        NETWORK(true),
        /** An established connection broke (network, sshd restarted, laptop slept). */
        CONNECTION_LOST(true),
        /** Waiting before the next reconnect attempt, or another call is reconnecting right now. */
        RECONNECTING(true),
        /** A setting (ssh_config, clusters.json) cannot work. */
        CONFIG(false),
        /** Anything else (protocol or algorithm mismatch, ...). */
        OTHER(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        public boolean transientFailure() {
            return transientFailure;
        }
    }

    private final Kind kind;

    public SshException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when trying again later may work without the user changing anything. */
    public boolean transientFailure() {
        return kind.transientFailure();
    }
}
