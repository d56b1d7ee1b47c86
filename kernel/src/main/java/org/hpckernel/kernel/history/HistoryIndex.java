package org.hpckernel.kernel.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entries in memory, ordered by (session, line) as IPython orders its history table, so that
 * concurrent kernels interleaving in the file still read back one session after another.
 * Not thread-safe; {@link HistoryStore} guards it.
 */
final class HistoryIndex {
    private record Key(int session, int line) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int bySession = Integer.compare(session, other.session);
            return bySession != 0 ? bySession : Integer.compare(line, other.line);
        }
    }

    private final TreeMap<Key, HistoryEntry> entries = new TreeMap<>();

    /** A repeated (session, line) replaces the earlier one: the later write is the truth. */
    void put(HistoryEntry entry) {
        entries.put(new Key(entry.session(), entry.line()), entry);
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    /** The newest {@code n}, oldest first. */
    List<HistoryEntry> tail(int n) {
        List<HistoryEntry> result = new ArrayList<>();
        Iterator<HistoryEntry> newestFirst = entries.descendingMap().values().iterator();
        while (result.size() < n && newestFirst.hasNext()) result.add(newestFirst.next());
        Collections.reverse(result);
        return result;
    }

    /** Keeps only the newest {@code n}. */
    void retainNewest(int n) {
        while (entries.size() > n) entries.pollFirstEntry();
    }

    /**
     * Lines {@code start <= line < stop} of one session. As IPython does for a session: a negative
     * start or stop counts back from the end of the session, and stop 0 means "to the end".
     */
    List<HistoryEntry> range(int session, int start, int stop) {
        NavigableMap<Key, HistoryEntry> lines =
                entries.subMap(new Key(session, Integer.MIN_VALUE), true, new Key(session, Integer.MAX_VALUE), true);
        if (lines.isEmpty()) return List.of();
        long end = (long) lines.lastKey().line() + 1; // one past the last line, like len(input_hist)
        long from = start < 0 ? end + start : start;
        long to = stop == 0 ? Long.MAX_VALUE : stop < 0 ? end + stop : stop;
        List<HistoryEntry> result = new ArrayList<>();
        for (HistoryEntry entry : lines.values()) {
            if (entry.line() >= from && entry.line() < to) result.add(entry);
        }
        return result;
    }

    /** Newest last; {@code n <= 0} means all matches. */
    List<HistoryEntry> search(Glob glob, boolean unique, int n) {
        int limit = n <= 0 ? Integer.MAX_VALUE : n;
        Set<String> seen = unique ? new HashSet<>() : null;
        List<HistoryEntry> result = new ArrayList<>();
        for (HistoryEntry entry : entries.descendingMap().values()) {
            if (result.size() >= limit) break;
            if (!glob.matches(entry.input())) continue;
            if (seen != null && !seen.add(entry.input())) continue; // walking newest first keeps the newest copy
            result.add(entry);
        }
        Collections.reverse(result);
        return result;
    }
}
