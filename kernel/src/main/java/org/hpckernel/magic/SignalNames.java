package org.hpckernel.magic;

import java.util.Optional;

/**
 * The signal behind a shell exit code: a process killed by signal n exits 128 + n (bash, and the
 * batch script's traps: 143 for TERM, 130 for INT, 140 for USR2). Linux numbering, which is
 * also that of the clusters this kernel meets for the common signals.
 */
final class SignalNames {
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private SignalNames() {}

    /** The signal an exit code stands for (137 → SIGKILL), or empty for an ordinary exit code. */
    static Optional<String> ofExitCode(Integer code) {
        if (code == null || code <= 128 || code - 128 >= NAMES.length) return Optional.empty();
        return Optional.of(NAMES[code - 128]);
    }
}
