package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code %hpc logs}: real files through the local transport, read in chunks, never whole. */
class JobLogsTest {
    /** The local transport, counting how much one read returns (the bound on what is held at once) and refusing whole-file reads. */
    static final class CountingTransport implements org.hpckernel.hpc.transport.Transport {
        final LocalTransport local = new LocalTransport();
        int largestRead;

        @Override
        public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
            byte[] b = local.readFrom(path, offset, maxBytes);
            largestRead = Math.max(largestRead, b.length);
            return b;
        }

        @Override
        public java.util.Optional<byte[]> readFile(String path) {
            throw new AssertionError("read whole: " + path);
        }

        @Override public String describe() { return "counting"; }
        @Override public org.hpckernel.hpc.transport.CommandResult run(List<String> argv, String stdin, java.time.Duration t)
                throws IOException { return local.run(argv, stdin, t); }
        @Override public String home() { return local.home(); }
        @Override public void makePrivateDirectory(String path) throws IOException { local.makePrivateDirectory(path); }
        @Override public void writeFile(String path, byte[] c, boolean x) throws IOException { local.writeFile(path, c, x); }
        @Override public long size(String path) throws IOException { return local.size(path); }
        @Override public void delete(String path) throws IOException { local.delete(path); }
        @Override public void close() {}
    }

    private static LedgerEntry entry(Path dir, boolean array, List<Integer> tasks) {
        return new LedgerEntry("7", "local", "k", dir.toString(), List.of(), "h", null, null, "s", array, tasks, "PENDING",
                null, "2026-01-01T00:00:00Z", null, "hpc-k", dir + "/job.sh");
    }

    @Test
    void aLargeOutputIsSentInBoundedChunksByteExact(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 3 * JobLogs.CHUNK + 123; i++) text.append("line ").append(i).append(" ééé ✓\n");
        Files.writeString(dir.resolve("stdout"), text, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("stderr"), "warn\n");
        List<String[]> sent = new ArrayList<>();
        CountingTransport t = new CountingTransport();
        new JobLogs(t, (stream, s) -> sent.add(new String[] {stream, s})).send(entry(dir, false, null));
        StringBuilder out = new StringBuilder();
        for (String[] s : sent) if (s[0].equals("stdout")) out.append(s[1]);
        assertEquals(text.toString(), out.toString());
        assertTrue(sent.stream().filter(s -> s[0].equals("stdout")).count() >= 4, "not chunked");
        assertTrue(t.largestRead <= JobLogs.CHUNK);
        assertTrue(sent.stream().anyMatch(s -> s[0].equals("stderr") && s[1].equals("warn\n")));
    }

    @Test
    void arrayTasksAreLabelledAtEveryLineStartAcrossChunks(@TempDir Path dir) throws Exception {
        String big = "x".repeat(JobLogs.CHUNK + 10) + "\nsecond\nno newline";
        Files.writeString(dir.resolve("stdout.1"), big);
        Files.writeString(dir.resolve("stdout.2"), "two\n");
        Files.writeString(dir.resolve("events.2.jsonl"),
                "{\"t\":\"stream\",\"name\":\"stdout\",\"text\":\"from event\\n\"}\nnot json\n");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        new JobLogs(new CountingTransport(), (stream, s) -> (stream.equals("stdout") ? out : err).append(s))
                .send(entry(dir, true, List.of(1, 2)));
        assertEquals("[1] " + "x".repeat(JobLogs.CHUNK + 10) + "\n[1] second\n[1] no newline\n[2] two\n[2] from event\n",
                out.toString());
        assertEquals("[2] not json\n", err.toString());
    }
}
