package org.hpckernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventWriterTest {
    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true);

    @Test
    void aLineStartsWithTypeAndTimestamp() {
        assertEquals("{\"t\":\"stream\",\"ts\":42,\"name\":\"stdout\",\"text\":\"a\\nb\"}\n",
                EventWriter.line("stream", 42, "name", "stdout", "text", "a\nb"));
        assertEquals("{\"t\":\"exit\",\"ts\":7,\"code\":1}\n", EventWriter.line("exit", 7, "code", 1));
    }

    @Test
    void appendsToAnExistingFileAndStopsAfterExit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"t\":\"old\"}\n");
        EventWriter writer = EventWriter.open(file, log);
        long before = System.currentTimeMillis();
        assertTrue(writer.write("clear", "wait", true));
        assertTrue(writer.writeExit(0));
        assertFalse(writer.write("clear", "wait", false));
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        Map<String, Object> clear = StrictJson.object(lines.get(1));
        assertEquals("clear", clear.get("t"));
        assertEquals(true, clear.get("wait"));
        long ts = (Long) clear.get("ts");
        assertTrue(ts >= before && ts <= System.currentTimeMillis(), "ts is epoch milliseconds");
        assertEquals("exit", StrictJson.object(lines.get(2)).get("t"));
    }

    @Test
    void concurrentWritersNeverInterleaveLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventWriter writer = EventWriter.open(file, log);
        int threads = 8;
        int perThread = 300;
        String big = "x".repeat(20_000) + "\"é\n";
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "w" + t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    writer.write("stream", "name", name, "text", i % 10 == 0 ? big : "line " + i);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        writer.writeExit(0);
        String content = Files.readString(file);
        assertTrue(content.endsWith("\n"));
        Map<String, Integer> counts = new HashMap<>();
        List<String> lines = content.lines().toList();
        for (String line : lines) {
            Map<String, Object> event = StrictJson.object(line);
            if (event.get("t").equals("stream")) {
                counts.merge((String) event.get("name"), 1, Integer::sum);
            }
        }
        assertEquals(threads * perThread + 1, lines.size());
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, counts.get("w" + t));
        }
        assertEquals("exit", StrictJson.object(lines.get(lines.size() - 1)).get("t"));
    }
}
