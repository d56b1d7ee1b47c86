package org.hpckernel.hpc.transport;

import java.util.List;

/** What a command printed and how it ended; {@code argv} is kept for error messages. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** stdout and stderr together, trimmed: what a user should see when the command failed. */
    public String output() {
        String both = (stdout.strip() + "\n" + stderr.strip()).strip();
        return both.isEmpty() ? "(no output, exit code " + exitCode + ")" : both;
    }
}
