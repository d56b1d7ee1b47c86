package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamCoalescerTest {
    private static final String MIXED = "aé€𝄞z ü日本語 🎉!";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> chunks = new ArrayList<>();
    private final List<String> emitterThreads = new ArrayList<>();
    private final CountDownLatch firstChunk = new CountDownLatch(1);
    private final StreamCoalescer coalescer = new StreamCoalescer("stdout", (name, text) -> {
        synchronized (chunks) {
            chunks.add(text);
            emitterThreads.add(Thread.currentThread().getName());
        }
        firstChunk.countDown();
    }, timer);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private String all() {
        synchronized (chunks) {
            return String.join("", chunks);
        }
    }

    @Test
    void multiByteCharactersSplitAcrossWritesAndFlushesDecodeCorrectly() {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        StringBuilder expected = new StringBuilder();
        for (int split = 0; split <= bytes.length; split++) {
            coalescer.write(bytes, 0, split);
            coalescer.flush(); // a chunk boundary in the middle of a character
            coalescer.write(bytes, split, bytes.length - split);
            coalescer.flush();
            expected.append(MIXED);
        }
        assertEquals(expected.toString(), all());
        assertFalse(all().contains("\uFFFD"));
    }

    @Test
    void singleByteWritesDecode() {
        for (byte b : MIXED.getBytes(StandardCharsets.UTF_8)) {
            coalescer.write(b & 0xff);
        }
        coalescer.flush();
        assertEquals(MIXED, all());
    }

    @Test
    void textAfterHalfACharacterMarksItMalformedInsteadOfLosingOrder() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        coalescer.write(euro, 0, 2);
        coalescer.append("x");
        coalescer.flush();
        assertEquals("\uFFFDx", all());
    }

    @Test
    void aFullBufferIsFlushedInTheWritingThreadAtOnce() {
        String line = "x".repeat(1023);
        for (int i = 0; i < 200; i++) {
            coalescer.appendLine(line, "\n");
        }
        // No flush() yet: the 64 KiB threshold already emitted, synchronously, in this thread.
        synchronized (chunks) {
            assertTrue(chunks.size() >= 3, "chunks: " + chunks.size());
            assertTrue(emitterThreads.stream().allMatch(t -> t.equals(Thread.currentThread().getName())));
            chunks.forEach(c -> assertTrue(c.length() <= StreamCoalescer.FLUSH_THRESHOLD + 1024));
        }
        coalescer.flush();
        assertEquals((line + "\n").repeat(200), all());
    }

    @Test
    void oneHugeWriteLeavesInBoundedPieces() {
        String huge = "€".repeat(3 * StreamCoalescer.FLUSH_THRESHOLD + 17);
        coalescer.append(huge);
        coalescer.flush();
        assertEquals(huge, all());
        synchronized (chunks) {
            assertTrue(chunks.size() >= 3);
            chunks.forEach(c -> assertTrue(c.length() <= StreamCoalescer.FLUSH_THRESHOLD));
        }
    }

    @Test
    void theTimerFlushesWithoutAnyExplicitFlushAndCoalescesLines() throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            coalescer.appendLine("line " + i, "\n");
        }
        assertTrue(firstChunk.await(5, TimeUnit.SECONDS), "timer never flushed");
        coalescer.flush();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), all());
        synchronized (chunks) {
            assertTrue(chunks.size() < 50, "1000 lines became " + chunks.size() + " chunks");
        }
    }

    @Test
    void concurrentWritersAndFlushersNeitherLoseNorDuplicateNorReorder() throws Exception {
        int threads = 4;
        int lines = 20_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers.add(new Thread(() -> {
                for (int i = 0; i < lines; i++) {
                    coalescer.appendLine("w" + id + " " + i, "\n");
                    if (i % 5000 == 0) {
                        coalescer.flush();
                    }
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join();
        }
        coalescer.flush();
        int[] next = new int[threads];
        for (String line : all().split("\n")) {
            String[] parts = line.split(" ");
            int id = Integer.parseInt(parts[0].substring(1));
            assertEquals(next[id], Integer.parseInt(parts[1]), "writer " + id + " out of order");
            next[id]++;
        }
        for (int count : next) {
            assertEquals(lines, count);
        }
    }
}
