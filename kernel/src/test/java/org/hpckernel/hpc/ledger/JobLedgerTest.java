package org.hpckernel.hpc.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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
                "nb.ipynb", "cell-1", summary, false, null, "PENDING", null, submitted, null, "hpc-" + id,
                "/work/jobs/key-" + id + "/job.sh");
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
        ledger.remove(ended);
        assertTrue(ledger.all().isEmpty());
    }

    /** The user's own job name survives every rewrite of the entry; a record from before it existed reads as none. */
    @Test
    void keepsTheUsersOwnJobNameThroughEveryUpdate(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        LedgerEntry e = entry("sge", "7", "echo hi", "2026-01-01T00:00:00Z");
        LedgerEntry named = new LedgerEntry(null, e.cluster(), e.key(), e.jobDir(), e.options(), e.contentHash(), e.notebook(),
                e.cellId(), e.summary(), false, null, LedgerEntry.SUBMITTING, null, e.submitted(), null, "fit-1a2b3c4d",
                e.scriptPath(), "fit");
        ledger.record(named);
        ledger.record(named.withJobId("7"));
        ledger.record(ledger.findByKey(e.key()).orElseThrow().withEnd("COMPLETED", 0, "2026-01-01T00:01:00Z").reopened());
        LedgerEntry read = ledger.findByKey(e.key()).orElseThrow();
        assertEquals("fit", read.givenName());
        assertEquals("fit (fit-1a2b3c4d)", read.shownName());
        String old = Files.readString(dir.resolve(e.key() + ".json")).replace("\"givenName\":\"fit\"", "\"x\":0");
        Files.writeString(dir.resolve(e.key() + ".json"), old);
        assertEquals(null, ledger.findByKey(e.key()).orElseThrow().shownName());
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

    /** PBS array ids (123[].server), LSF elements, ids with '/' or "..": stored, found, updated, removed, inside the directory. */
    @Test
    void anyIdAndKeyIsStoredUnderAnEncodedNameInsideTheDirectory(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir.resolve("jobs"));
        List<String> ids = List.of("123[].pbs01.example.org", "12[3]", "1/../../etc", "..", ".hidden", "a b%c", "ünï");
        for (String id : ids) {
            LedgerEntry e = new LedgerEntry(id, "dahu", id, "/w/" + id, List.of(), "h", null, null, "s", true, List.of(1, 2),
                    "PENDING", null, "2026-01-01T00:00:00Z", null, "n", "/w/job.sh");
            ledger.record(e);
            assertEquals(e, ledger.find("dahu", id).orElseThrow());
            assertEquals(e, ledger.findByKey(id).orElseThrow());
            ledger.record(e.withEnd("COMPLETED", 0, "2026-01-01T00:01:00Z"));
            assertEquals("COMPLETED", ledger.find("dahu", id).orElseThrow().state());
        }
        assertEquals(ids.size(), ledger.all().size());
        try (var files = Files.list(dir.resolve("jobs"))) {
            List<Path> all = files.toList();
            assertEquals(ids.size(), all.size(), "one file per entry: " + all);
            for (Path f : all) {
                assertEquals(dir.resolve("jobs"), f.getParent());
                assertTrue(!f.getFileName().toString().startsWith("."), "hidden (temporary-looking) name " + f);
            }
        }
        for (String id : ids) ledger.remove(ledger.find("dahu", id).orElseThrow());
        assertTrue(ledger.all().isEmpty());
        try (var outside = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("jobs")), outside.toList());
        }
    }

    @Test
    void aSubmissionWithoutIdIsKeptByKeyAndGetsItsIdInPlace(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        LedgerEntry submitting = new LedgerEntry(null, "dahu", "20260101-000000-0a1b2c3d", "/w/j", List.of(), "h", null, null,
                "s", false, null, LedgerEntry.SUBMITTING, null, "2026-01-01T00:00:00Z", null, "hpc-0a1b2c3d", "/w/j/job.sh");
        ledger.record(submitting);
        assertTrue(ledger.findByKey(submitting.key()).orElseThrow().isSubmitting());
        ledger.record(submitting.withJobId("123[].srv"));
        List<LedgerEntry> all = ledger.all();
        assertEquals(1, all.size());
        assertEquals("123[].srv", all.get(0).jobId());
        assertEquals("PENDING", all.get(0).state());
    }

    /** An entry written by an older kernel (named cluster--id) is replaced, not duplicated, when rewritten under its key. */
    @Test
    void anOlderKernelsEntryMovesUnderItsKey(@TempDir Path dir) throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        LedgerEntry old = entry("dahu", "42", "s", "2026-01-01T00:00:00Z");
        Files.writeString(dir.resolve("dahu--42.json"), org.hpckernel.util.Json.GSON.toJson(old));
        assertEquals(1, ledger.all().size());
        ledger.record(old.withEnd("COMPLETED", 0, "2026-01-01T00:01:00Z"));
        assertEquals(1, ledger.all().size());
        ledger.remove(ledger.find("dahu", "42").orElseThrow());
        assertTrue(ledger.all().isEmpty());
    }

    /**
     * A write that fails half-way (a real EFBIG: the writer runs under a file-size limit, as under
     * a full disk or a quota) throws, leaves no temporary file and keeps the previous version.
     */
    @Test
    void aWriteThatFailsHalfWayThrowsAndLeavesNothingHalfWritten(@TempDir Path dir) throws Exception {
        Path ledgerDir = dir.resolve("jobs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("/bin/sh", "-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"", java, "-cp",
                System.getProperty("java.class.path"), LedgerFullWriter.class.getName(), ledgerDir.toString())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("small ok"), out);
        assertTrue(out.contains("large 1 failed: ") && out.contains("large 2 failed: "), out);
        JobLedger ledger = JobLedger.open(ledgerDir);
        List<LedgerEntry> all = ledger.all();
        assertEquals(1, all.size());
        assertEquals("small", all.get(0).summary());
        try (var files = Files.list(ledgerDir)) {
            assertEquals(1, files.count(), "a temporary file was left behind");
        }
    }

    /**
     * Several writers rewriting the same entries at once: every entry stays readable and holds one
     * of the versions written (a shared temporary name, or an in-place write, would fail this).
     */
    @Test
    void severalWritersRewritingTheSameEntriesLoseNothing(@TempDir Path dir) throws Exception {
        JobLedger a = JobLedger.open(dir);
        JobLedger b = JobLedger.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        String padding = "x".repeat(50_000);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    (thread % 2 == 0 ? a : b).record(entry("c", Integer.toString(i % 5), thread + "/" + i + padding,
                            "2026-01-01T00:00:00Z"));
                    if (i < 4) continue;
                    // this thread has written all five by now, and nothing removes them: a reader sees all five, whole
                    List<LedgerEntry> seen = a.all();
                    assertEquals(5, seen.size(), "an entry was unreadable while being rewritten");
                    for (LedgerEntry e : seen) assertTrue(e.summary().endsWith(padding), "torn entry " + e.jobId());
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(5, a.all().size());
        try (var files = Files.list(dir)) {
            assertEquals(5, files.count(), "temporary files left behind");
        }
    }

    /**
     * kill -9 while rewriting a few entries over and over: each entry is still readable and at
     * least at the last version reported durable (an in-place write would leave a torn, unreadable
     * entry, and the entry would be missing).
     */
    @Test
    void aWriterKilledMidRewriteLeavesEveryEntryReadable(@TempDir Path dir) throws Exception {
        Path ledgerDir = dir.resolve("jobs");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LedgerCrashWriter.class.getName(), ledgerDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        java.util.Map<String, Integer> durable = new java.util.HashMap<>();
        int target = 50 + ThreadLocalRandom.current().nextInt(200);
        int lines = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lines < target && (line = out.readLine()) != null) {
                lines++;
                String[] f = line.strip().split(" ");
                durable.put(f[0], Integer.parseInt(f[1]));
            }
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            while ((line = out.readLine()) != null) {
                String[] f = line.strip().split(" ");
                durable.put(f[0], Integer.parseInt(f[1]));
            }
        }
        assertTrue(lines >= target, "child wrote " + lines);
        java.util.Map<String, Integer> found = new java.util.HashMap<>();
        for (LedgerEntry e : JobLedger.open(ledgerDir).all()) found.put(e.jobId(), Integer.parseInt(e.summary().split(" ")[0]));
        for (var d : durable.entrySet()) {
            assertTrue(found.containsKey(d.getKey()), "entry " + d.getKey() + " lost");
            assertTrue(found.get(d.getKey()) >= d.getValue(), "entry " + d.getKey() + " went back to an older version");
        }
        assertEquals(LedgerCrashWriter.ENTRIES, found.size());
    }
}
