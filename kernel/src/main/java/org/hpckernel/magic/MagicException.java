package org.hpckernel.magic;

import java.util.List;

/**
 * A magic that could not do its job. It becomes the cell's error (ename, evalue, traceback), so the
 * message must say what was wrong and how to fix it.
 */
public class MagicException extends Exception {
    private final String ename;
    private final List<String> traceback;

    public MagicException(String ename, String message, List<String> traceback) {
        super(message);
        this.ename = ename;
        this.traceback = List.copyOf(traceback);
    }

    /** Wrong use of a magic: bad option, bad value, unknown subcommand. */
    public static MagicException usage(String message) {
        return new MagicException("UsageError", message, List.of("UsageError: " + message));
    }

    public String ename() {
        return ename;
    }

    public List<String> traceback() {
        return traceback;
    }
}
