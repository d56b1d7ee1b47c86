package org.hpckernel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.hpckernel.kernel.history.HistoryEntry;
import org.hpckernel.kernel.history.HistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cells saved off the reply path are still all there, in order, for the next query and on disk. */
class HistoryWriterTest {
    @TempDir Path dir;

    @Test
    void aQueryRightAfterTheCellsSeesThemAllInOrder() throws IOException {
        Path file = dir.resolve("history.jsonl");
        HistoryWriter writer = new HistoryWriter(HistoryStore.open(file, 1000));
        IntStream.rangeClosed(1, 50).forEach(i -> writer.add(i, "cell " + i, i % 2 == 0 ? "out " + i : null));
        List<HistoryEntry> tail = writer.settled().tail(50);
        assertEquals(IntStream.rangeClosed(1, 50).mapToObj(i -> "cell " + i).toList(),
                tail.stream().map(HistoryEntry::input).toList());
        assertEquals("out 50", tail.get(49).output());
        writer.close();
        // Another kernel (a new store on the same file) reads them from disk.
        HistoryStore next = HistoryStore.open(file, 1000);
        assertEquals(50, next.range(-1, 1, 0).size());
    }

    @Test
    void aFileThatCannotBeWrittenLosesNothingOfThisSession() throws IOException {
        Path file = dir.resolve("history.jsonl");
        HistoryWriter writer = new HistoryWriter(HistoryStore.open(file, 1000));
        Files.delete(file);
        Files.createDirectory(file); // appending now fails
        writer.add(1, "kept anyway", null);
        assertEquals(List.of("kept anyway"), writer.settled().range(0, 1, 0).stream().map(HistoryEntry::input).toList());
        writer.close();
    }
}
