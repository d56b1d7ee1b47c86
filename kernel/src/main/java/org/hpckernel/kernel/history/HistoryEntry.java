package org.hpckernel.kernel.history;

/**
 * One executed cell.
 *
 * @param session the kernel run it belongs to (1, 2, ...)
 * @param line its execution count within that run
 * @param output the text/plain of its result, or null when it had none or it was not kept
 */
public record HistoryEntry(int session, int line, String input, String output) {
    public HistoryEntry {
        if (input == null) throw new IllegalArgumentException("input must not be null");
    }
}
