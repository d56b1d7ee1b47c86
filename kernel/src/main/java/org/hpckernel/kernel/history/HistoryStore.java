package org.hpckernel.kernel.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cell history for Jupyter's {@code history_request}, kept across kernel restarts in one JSON-lines
 * file shared by all of a user's kernels. Each kernel run gets its own session number; entries are
 * addressed IPython-style by (session, line).
 *
 * <p>Every append is made under a file lock and forced to disk before {@link #add} returns, so
 * several kernels can write at once and a crash loses at most the cell being written. Queries are
 * answered from memory after reading whatever other kernels appended since the last look.
 *
 * <p>The file is bounded: once it holds more than {@code maxEntries} cells it is rewritten with the
 * newest 90% of them, so the cost of a rewrite is paid once per {@code maxEntries / 10} cells
 * rather than on every cell.
 */
public final class HistoryStore implements AutoCloseable {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** Outputs beyond this are cut: a cell that printed a huge array should not bloat every history reply. */
    static final int MAX_OUTPUT_CHARS = 16 * 1024;
    static final String TRUNCATION_MARK = "\n... [output truncated]";

    private final HistoryFile file;
    private final int maxEntries;
    private final HistoryIndex index = new HistoryIndex();
    private int session;
    private int highestSession;
    private int entriesInFile;
    private boolean closed;

    private HistoryStore(HistoryFile file, int maxEntries) {
        this.file = file;
        this.maxEntries = maxEntries;
    }

    /**
     * Opens (creating directories and file as needed) and claims a new session number, one above
     * the highest in the file. Claiming writes a session-start line under the lock, so two kernels
     * starting together never share a number.
     */
    public static HistoryStore open(Path file, int maxEntries) throws IOException {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        HistoryStore store = new HistoryStore(HistoryFile.open(file), maxEntries);
        store.file.locked(() -> {
            store.catchUp();
            store.session = store.highestSession + 1;
            store.highestSession = store.session;
            store.file.append(HistoryCodec.encodeSessionStart(store.session, Instant.now()));
            if (store.entriesInFile > maxEntries) store.compact();
        });
        return store;
    }

    /** {@code $XDG_DATA_HOME/hpc-kernel/history.jsonl}, by default {@code ~/.local/share/hpc-kernel/history.jsonl}. */
    public static Path defaultFile() {
        return defaultFile(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Path defaultFile(Map<String, String> env, Path home) {
        // The XDG spec says to ignore a relative XDG_DATA_HOME.
        Path dataHome = Optional.ofNullable(env.get("XDG_DATA_HOME"))
                .filter(value -> !value.isBlank())
                .map(Path::of)
                .filter(Path::isAbsolute)
                .orElse(home.resolve(".local").resolve("share"));
        return dataHome.resolve("hpc-kernel").resolve("history.jsonl");
    }

    public synchronized int session() {
        return session;
    }

    /**
     * Records a cell of this session. The entry is remembered even if writing fails, so this
     * session's history keeps working; the failure is then reported as an UncheckedIOException.
     */
    public synchronized void add(int line, String input, String output) {
        if (closed) throw new IllegalStateException("history store for " + file.path() + " is closed");
        HistoryEntry entry = new HistoryEntry(session, line, input, truncate(output));
        try {
            file.locked(() -> {
                catchUp();
                file.append(HistoryCodec.encode(entry));
                entriesInFile++;
                index.put(entry);
                if (entriesInFile > maxEntries) compact();
            });
        } catch (IOException e) {
            index.put(entry);
            throw new UncheckedIOException("could not save history to " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** The newest {@code n} entries of all sessions, oldest first. */
    public synchronized List<HistoryEntry> tail(int n) {
        if (n <= 0) return List.of();
        refresh();
        return index.tail(n);
    }

    /**
     * Lines {@code start <= line < stop} of a session. Session 0 is this one and negative sessions
     * count back from it (-1 is the previous run). As in IPython, negative start/stop count back from
     * the session's last line and stop 0 means to the end.
     */
    public synchronized List<HistoryEntry> range(int session, int start, int stop) {
        refresh();
        int absolute = session <= 0 ? this.session + session : session;
        return index.range(absolute, start, stop);
    }

    /**
     * Entries whose whole input matches a glob ({@code *}, {@code ?}), newest last, at most the newest
     * {@code n} ({@code n <= 0}: all). {@code unique} keeps only the newest of identical inputs.
     */
    public synchronized List<HistoryEntry> search(String pattern, boolean unique, int n) {
        refresh();
        return index.search(new Glob(pattern == null ? "*" : pattern), unique, n);
    }

    @Override
    public synchronized void close() {
        closed = true; // nothing is held open between calls; this only stops further writes
    }

    /** Under the lock: take in what other kernels appended (or everything, after a compaction). */
    private void catchUp() throws IOException {
        HistoryFile.Batch batch = file.readNew();
        if (batch.restarted()) {
            index.clear();
            entriesInFile = 0;
        }
        for (String line : batch.lines()) {
            HistoryCodec.Decoded decoded = HistoryCodec.decode(line);
            if (decoded == null) continue;
            highestSession = Math.max(highestSession, decoded.session());
            if (decoded.entry() != null) {
                index.put(decoded.entry());
                entriesInFile++;
            }
        }
    }

    /** Under the lock. The session-start line of the highest session survives so numbers never repeat. */
    private void compact() throws IOException {
        int keep = Math.max(1, maxEntries - maxEntries / 10);
        List<HistoryEntry> newest = index.tail(keep);
        List<String> lines = new ArrayList<>(newest.size() + 1);
        lines.add(HistoryCodec.encodeSessionStart(highestSession, Instant.now()));
        for (HistoryEntry entry : newest) lines.add(HistoryCodec.encode(entry));
        file.replace(lines);
        index.retainNewest(keep);
        entriesInFile = newest.size();
    }

    /** Best effort: if the file cannot be read right now, answer from what is already in memory. */
    private void refresh() {
        if (closed) return;
        try {
            file.locked(this::catchUp);
        } catch (IOException ignored) {
            // Stale answers beat failing a history_request.
        }
    }

    private static String truncate(String output) {
        if (output == null || output.length() <= MAX_OUTPUT_CHARS) return output;
        return output.substring(0, MAX_OUTPUT_CHARS) + TRUNCATION_MARK;
    }
}
