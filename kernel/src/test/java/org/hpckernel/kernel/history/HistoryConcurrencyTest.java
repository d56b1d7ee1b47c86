package org.hpckernel.kernel.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several kernels of one user share the file: as threads in one JVM and as separate processes. */
class HistoryConcurrencyTest {
    static final int CELLS = 200;

    @TempDir Path dir;

    @Test
    void twoStoresInOneJvmWritingAtOnce() throws Exception {
        Path file = dir.resolve("history.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> sessions = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                sessions.add(pool.submit(() -> {
                    try (HistoryStore store = HistoryStore.open(file, 10_000)) {
                        go.await();
                        for (int line = 1; line <= CELLS; line++) {
                            store.add(line, "s" + store.session() + " cell " + line, String.valueOf(line));
                        }
                        return store.session();
                    }
                }));
            }
            go.countDown();
            int a = sessions.get(0).get(60, TimeUnit.SECONDS);
            int b = sessions.get(1).get(60, TimeUnit.SECONDS);
            assertNotEquals(a, b);
            assertEquals(Set.of(1, 2), Set.of(a, b));
        } finally {
            pool.shutdownNow();
        }
        assertEverythingArrived(file, 2);
    }

    @Test
    void eachStoreSeesTheOthersCells() throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (HistoryStore a = HistoryStore.open(file, 100); HistoryStore b = HistoryStore.open(file, 100)) {
            a.add(1, "from a", null);
            b.add(1, "from b", null);
            a.add(2, "from a again", null);
            assertEquals(List.of("from a", "from a again", "from b"), inputs(b.tail(10)), "ordered by session, then line");
            assertEquals(List.of("from b"), inputs(a.range(b.session(), 1, 0)));
            assertEquals(List.of("from a", "from a again", "from b"), inputs(a.search("from*", false, 0)));
        }
    }

    /** Two compactions in a row: the second file can get the first one's freed inode back. */
    @Test
    void aStoreFollowsWhenAnotherCompacts() throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (HistoryStore big = HistoryStore.open(file, 1000); HistoryStore small = HistoryStore.open(file, 10)) {
            for (int i = 1; i <= 5; i++) big.add(i, "big " + i, null);
            for (int i = 1; i <= 8; i++) small.add(i, "small " + i, null); // 13 > 10: small rewrites the file
            big.add(6, "big 6", null);

            List<HistoryEntry> seenByBig = big.tail(100);
            try (HistoryStore fresh = HistoryStore.open(file, 1000)) {
                assertEquals(fresh.tail(100), seenByBig);
            }
            assertEquals(10, seenByBig.size()); // 9 kept by the compaction, then big 6
            assertEquals(seenByBig.size(), new HashSet<>(seenByBig).size(), "no duplicates after re-reading");
        }
    }

    @Test
    void twoProcessesWritingAtOnce() throws Exception {
        Path file = dir.resolve("history.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<Process> writers = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            writers.add(new ProcessBuilder(java, "-cp", classPath, Writer.class.getName(), file.toString(),
                    String.valueOf(CELLS)).redirectErrorStream(true).start());
        }
        for (Process writer : writers) {
            String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(writer.waitFor(120, TimeUnit.SECONDS), "writer finished");
            assertEquals(0, writer.exitValue(), output);
        }
        assertEverythingArrived(file, 2);
    }

    /** Stands in for a kernel in another process. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            int cells = Integer.parseInt(args[1]);
            try (HistoryStore store = HistoryStore.open(Path.of(args[0]), 10_000)) {
                for (int line = 1; line <= cells; line++) {
                    store.add(line, "s" + store.session() + " cell " + line, String.valueOf(line));
                }
            }
        }
    }

    private static void assertEverythingArrived(Path file, int writers) throws IOException {
        for (String line : Files.readAllLines(file)) {
            assertTrue(HistoryCodec.decode(line) != null, "interleaved or torn line: " + line);
        }
        try (HistoryStore reader = HistoryStore.open(file, 10_000)) {
            assertEquals(writers + 1, reader.session());
            List<HistoryEntry> all = reader.tail(Integer.MAX_VALUE);
            assertEquals(writers * CELLS, all.size());
            for (int session = 1; session <= writers; session++) {
                List<HistoryEntry> cells = reader.range(session, 1, 0);
                assertEquals(CELLS, cells.size());
                int s = session;
                assertTrue(cells.stream().allMatch(e -> e.input().equals("s" + s + " cell " + e.line())));
            }
            assertEquals(writers, all.stream().map(HistoryEntry::session).collect(Collectors.toSet()).size());
        }
    }

    private static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::input).toList();
    }
}
