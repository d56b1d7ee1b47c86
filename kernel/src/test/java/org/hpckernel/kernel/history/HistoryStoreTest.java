package org.hpckernel.kernel.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
    @TempDir Path dir;
    Path file;

    @BeforeEach
    void setUp() {
        file = dir.resolve("nested/dirs/history.jsonl");
    }

    static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::input).toList();
    }

    static List<Integer> lines(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::line).toList();
    }

    HistoryStore storeWith(String... cells) throws IOException {
        HistoryStore store = HistoryStore.open(file, 1000);
        for (int i = 0; i < cells.length; i++) store.add(i + 1, cells[i], "out" + (i + 1));
        return store;
    }

    @Test
    void firstOpenCreatesTheFileAndSessionOne() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            assertEquals(1, store.session());
            assertTrue(Files.isRegularFile(file));
            assertEquals(List.of(), store.tail(10));
        }
    }

    @Test
    void theFileIsPrivateToItsOwner() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 10)) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
            for (int i = 1; i <= 11; i++) store.add(i, "cell " + i, null); // compaction writes a new file
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void tailReturnsTheNewestOldestFirst() throws IOException {
        try (HistoryStore store = storeWith("a", "b", "c", "d")) {
            assertEquals(List.of("c", "d"), inputs(store.tail(2)));
            assertEquals(List.of("a", "b", "c", "d"), inputs(store.tail(100)));
            assertEquals(List.of(), store.tail(0));
            assertEquals(new HistoryEntry(1, 4, "d", "out4"), store.tail(1).get(0));
        }
    }

    @Test
    void nullOutputStaysNull() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            store.add(1, "int x = 1;", null);
        }
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            assertNull(store.tail(1).get(0).output());
        }
    }

    @Test
    void rangeOfTheCurrentSession() throws IOException {
        try (HistoryStore store = storeWith("a", "b", "c", "d", "e")) {
            assertEquals(List.of(2, 3), lines(store.range(0, 2, 4)));
            assertEquals(List.of(1, 2, 3, 4, 5), lines(store.range(0, 1, Integer.MAX_VALUE)));
            assertEquals(List.of(1, 2, 3, 4, 5), lines(store.range(0, 0, 0)), "stop 0 means to the end");
            assertEquals(List.of(4, 5), lines(store.range(0, -2, 0)), "negative start counts from the end");
            assertEquals(List.of(1, 2, 3, 4), lines(store.range(0, 1, -1)), "negative stop counts from the end");
            assertEquals(List.of(), store.range(0, 4, 2));
            assertEquals(List.of(), store.range(7, 1, 10), "unknown session");
        }
    }

    @Test
    void sessionsSurviveRestartsAndCanBeAddressedRelativelyOrExplicitly() throws IOException {
        try (HistoryStore first = storeWith("s1 a", "s1 b")) {
            assertEquals(1, first.session());
        }
        try (HistoryStore second = storeWith("s2 a")) {
            assertEquals(2, second.session());
        }
        try (HistoryStore third = storeWith("s3 a", "s3 b", "s3 c")) {
            assertEquals(3, third.session());
            assertEquals(List.of("s3 a", "s3 b", "s3 c"), inputs(third.range(0, 1, 0)));
            assertEquals(List.of("s2 a"), inputs(third.range(-1, 1, 0)));
            assertEquals(List.of("s1 b"), inputs(third.range(-2, 2, 3)));
            assertEquals(List.of("s1 a", "s1 b"), inputs(third.range(1, 1, 0)));
            assertEquals(List.of(), third.range(-3, 1, 0));
            assertEquals(List.of("s1 b", "s2 a", "s3 a", "s3 b", "s3 c"), inputs(third.tail(5)));
            assertEquals(new HistoryEntry(1, 2, "s1 b", "out2"), third.tail(5).get(0));
        }
    }

    @Test
    void aSessionWithoutCellsStillUsesUpItsNumber() throws IOException {
        HistoryStore.open(file, 100).close();
        try (HistoryStore second = HistoryStore.open(file, 100)) {
            assertEquals(2, second.session());
        }
    }

    @Test
    void searchMatchesGlobsAgainstTheWholeInput() throws IOException {
        try (HistoryStore store = storeWith("int x = 1;", "x + 1", "int y = 2;", "String s = \"int\";", "x + 1")) {
            assertEquals(List.of("int x = 1;", "int y = 2;"), inputs(store.search("int*", false, 0)));
            assertEquals(List.of("int x = 1;", "int y = 2;"), inputs(store.search("int ? = ?;", false, 0)));
            assertEquals(List.of(), inputs(store.search("int", false, 0)));
            assertEquals(5, store.search("*", false, 0).size());
            assertEquals(5, store.search(null, false, -1).size());
            assertEquals(List.of("int y = 2;"), inputs(store.search("int*", false, 1)), "n keeps the newest");
        }
    }

    @Test
    void uniqueSearchKeepsTheNewestOfEachInput() throws IOException {
        try (HistoryStore store = storeWith("x + 1", "a", "x + 1", "b", "a")) {
            List<HistoryEntry> unique = store.search("*", true, 0);
            assertEquals(List.of("x + 1", "b", "a"), inputs(unique));
            assertEquals(List.of(3, 4, 5), lines(unique));
            assertEquals(List.of("b", "a"), inputs(store.search("*", true, 2)));
        }
    }

    @Test
    void multiLineInputsRoundTrip() throws IOException {
        String cell = "for (int i = 0; i < 3; i++) {\n    System.out.println(\"\\t\" + i);\n}\r\n// ünïcödé ☕";
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            store.add(1, cell, "0\n1\n2");
        }
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            assertEquals(new HistoryEntry(1, 1, cell, "0\n1\n2"), store.search("for*☕", false, 0).get(0));
        }
    }

    @Test
    void compactionKeepsTheNewestAndNeverReusesASessionNumber() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 10)) {
            for (int i = 1; i <= 10; i++) store.add(i, "cell " + i, null);
            assertEquals(10, entryLines());
            store.add(11, "cell 11", null); // over the limit: rewritten to the newest 90%
            assertEquals(9, entryLines());
            assertEquals("cell 3", store.tail(100).get(0).input());
            assertEquals(9, store.tail(100).size());
            assertEquals("cell 11", store.tail(1).get(0).input());
        }
        try (HistoryStore store = HistoryStore.open(file, 10)) {
            assertEquals(2, store.session());
            assertEquals(List.of("cell 3", "cell 11"), List.of(inputs(store.tail(9)).get(0), inputs(store.tail(9)).get(8)));
        }
        assertTrue(Files.readAllLines(file).stream().allMatch(l -> HistoryCodec.decode(l) != null));
    }

    @Test
    void anOversizedFileIsCompactedWhenOpened() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 1000)) {
            for (int i = 1; i <= 50; i++) store.add(i, "cell " + i, null);
        }
        try (HistoryStore store = HistoryStore.open(file, 20)) {
            assertEquals(18, entryLines());
            assertEquals("cell 50", store.tail(1).get(0).input());
            assertEquals(2, store.session());
        }
    }

    @Test
    void compactionOnlyOnceInAWhile() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            for (int i = 1; i <= 101; i++) store.add(i, "cell " + i, null);
            Object compactedFile = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            for (int i = 102; i <= 110; i++) store.add(i, "cell " + i, null);
            assertEquals(compactedFile,
                    Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                    "the next cells are appended, not rewritten");
            assertEquals(99, entryLines());
        }
    }

    @Test
    void corruptAndHalfWrittenLinesAreSkipped() throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "{\"session\":1,\"started\":\"2025-01-01T00:00:00Z\"}",
                "{\"session\":1,\"line\":1,\"input\":\"good 1\",\"output\":\"2\"}",
                "this is not json",
                "[1,2,3]",
                "{\"session\":\"one\",\"line\":2,\"input\":\"bad session\"}",
                "{\"session\":1,\"line\":2.5,\"input\":\"bad line\"}",
                "{\"session\":1,\"line\":3,\"input\":42}",
                "",
                "{\"session\":1,\"line\":4,\"input\":\"good 4\"}",
                "{\"session\":1,\"line\":5,\"input\":\"cut off by a cra"), StandardCharsets.UTF_8);

        try (HistoryStore store = HistoryStore.open(file, 100)) {
            assertEquals(2, store.session());
            assertEquals(List.of("good 1", "good 4"), inputs(store.tail(10)));
            store.add(1, "after the crash", null);
        }
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            assertEquals(List.of("good 1", "good 4", "after the crash"), inputs(store.tail(10)));
        }
    }

    @Test
    void outputsAreCappedButInputsAreNot() throws IOException {
        String bigInput = "x".repeat(HistoryStore.MAX_OUTPUT_CHARS * 2);
        String bigOutput = "y".repeat(HistoryStore.MAX_OUTPUT_CHARS * 2);
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            store.add(1, bigInput, bigOutput);
            HistoryEntry entry = store.tail(1).get(0);
            assertEquals(bigInput, entry.input());
            assertTrue(entry.output().endsWith(HistoryStore.TRUNCATION_MARK));
            assertEquals(HistoryStore.MAX_OUTPUT_CHARS + HistoryStore.TRUNCATION_MARK.length(), entry.output().length());
        }
    }

    @Test
    void aPendingInterruptDoesNotLoseTheEntry() throws IOException {
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            Thread.currentThread().interrupt(); // as left behind by interrupting the cell
            try {
                store.add(1, "interrupted cell", null);
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for its owner");
            } finally {
                Thread.interrupted();
            }
        }
        try (HistoryStore store = HistoryStore.open(file, 100)) {
            assertEquals(List.of("interrupted cell"), inputs(store.tail(10)));
        }
    }

    @Test
    void aClosedStoreRefusesWrites() throws IOException {
        HistoryStore store = storeWith("a");
        store.close();
        assertThrows(IllegalStateException.class, () -> store.add(2, "b", null));
        assertEquals(List.of("a"), inputs(store.tail(10)));
    }

    @Test
    void aDeletedFileStartsOver() throws IOException {
        try (HistoryStore store = storeWith("a", "b")) {
            Files.delete(file);
            store.add(3, "c", null);
            assertEquals(List.of("c"), inputs(store.tail(10)));
        }
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> HistoryStore.open(file, 0));
    }

    @Test
    void defaultFileFollowsXdgDataHome() {
        Path home = Path.of("/home/ada");
        assertEquals(Path.of("/home/ada/.local/share/hpc-kernel/history.jsonl"), HistoryStore.defaultFile(Map.of(), home));
        assertEquals(Path.of("/xdg/hpc-kernel/history.jsonl"),
                HistoryStore.defaultFile(Map.of("XDG_DATA_HOME", "/xdg"), home));
        assertEquals(Path.of("/home/ada/.local/share/hpc-kernel/history.jsonl"),
                HistoryStore.defaultFile(Map.of("XDG_DATA_HOME", "relative/dir"), home), "relative is ignored, per XDG");
        assertTrue(HistoryStore.defaultFile().isAbsolute());
    }

    private long entryLines() throws IOException {
        return Files.readAllLines(file).stream()
                .map(HistoryCodec::decode)
                .filter(d -> d != null && d.entry() != null)
                .count();
    }
}
