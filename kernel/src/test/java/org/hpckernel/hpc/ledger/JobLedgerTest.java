package org.hpckernel.hpc.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLedgerTest {
    static LedgerEntry entry(String cluster, String id, String summary, String submitted) {
        return new LedgerEntry(id, cluster, "key-" + id, "/work/jobs/key-" + id, List.of("-p", "debug"), "hash-" + id,
                "nb.ipynb", "cell-1", summary, false, null, "PENDING", null, submitted, null);
    }

    @Test
    void recordsFindsUpdatesAndKeepsFilesPrivate(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir.resolve("jobs"));
        LedgerEntry e = entry("dahu", "42", "echo hi", "2026-01-01T00:00:00Z");
        ledger.record(e);
        assertEquals(e, ledger.find("dahu", "42").orElseThrow());
        ledger.record(e.withEnd("COMPLETED", 0, "2026-01-01T00:01:00Z"));
        LedgerEntry ended = ledger.find("dahu", "42").orElseThrow();
        assertEquals("COMPLETED", ended.state());
        assertTrue(!ended.isLive());
        assertEquals(1, ledger.all().size());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("jobs"))));
        try (var files = Files.list(dir.resolve("jobs"))) {
            for (Path f : files.toList()) assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
        ledger.remove("dahu", "42");
        assertTrue(ledger.all().isEmpty());
    }

    @Test
    void allIsOrderedBySubmissionAndSkipsGarbage(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        ledger.record(entry("a", "2", "second", "2026-01-02T00:00:00Z"));
        ledger.record(entry("a", "1", "first", "2026-01-01T00:00:00Z"));
        Files.writeString(dir.resolve("a--3.json"), "{ half a record");
        Files.writeString(dir.resolve(".a--4.json.tmp-1-1"), "{}");
        List<LedgerEntry> all = ledger.all();
        assertEquals(List.of("1", "2"), all.stream().map(LedgerEntry::jobId).toList());
    }

    @Test
    void rejectsIdsThatCouldEscapeTheDirectory(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ledger.record(entry("../x", "1", "s", "2026-01-01T00:00:00Z")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ledger.find("c", "1/../../etc"));
    }

    @Test
    void severalWritersAtOnceLoseNothing(@TempDir Path dir) throws Exception {
        JobLedger a = JobLedger.open(dir);
        JobLedger b = JobLedger.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    (thread % 2 == 0 ? a : b).record(entry("c", thread + "-" + i, "s", Instant.now().toString()));
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(200, a.all().size());
    }

    /** kill -9 during writes: every entry reported durable is readable, and nothing is corrupt. */
    @Test
    void aWriterKilledMidWriteLeavesNoCorruption(@TempDir Path dir) throws Exception {
        Path ledgerDir = dir.resolve("jobs");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LedgerCrashWriter.class.getName(), ledgerDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Set<String> durable = new HashSet<>();
        int target = 50 + ThreadLocalRandom.current().nextInt(200);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (durable.size() < target && (line = out.readLine()) != null) durable.add(line.strip());
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            while ((line = out.readLine()) != null) durable.add(line.strip());
        }
        assertTrue(durable.size() >= target, "child wrote " + durable.size());
        List<LedgerEntry> all = JobLedger.open(ledgerDir).all();
        Set<String> found = new HashSet<>();
        for (LedgerEntry e : all) found.add(e.jobId());
        assertTrue(found.containsAll(durable), "entries reported written are missing");
        assertTrue(all.size() <= durable.size() + 1, "more entries than written: " + all.size() + " vs " + durable.size());
    }
}
