package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java payload of job.sh, run by a real bash: the runner jar is run only with the hash the
 * script names, and the CDS archive only with the hash recorded when it was made. "java" here is a
 * stand-in script that records how it was called (and writes an archive when asked to), since what
 * is under test is what job.sh lets run, not the JVM.
 */
class RunnerVerificationTest {
    @TempDir
    Path work;
    Path jobDir;
    Path jar;
    Path calls;
    Path java;
    byte[] jarBytes = "the real runner".getBytes(StandardCharsets.UTF_8);
    Path cellJar;
    byte[] cellBytes = "the cell's compiled classes".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(work.resolve("runner"));
        jobDir = Files.createDirectories(work.resolve("jobs/k1"));
        jar = work.resolve("runner/r.jar");
        Files.write(jar, jarBytes);
        Files.createDirectories(work.resolve("classes"));
        cellJar = work.resolve("classes/cell-x.jar");
        Files.write(cellJar, cellBytes);
        calls = work.resolve("calls");
        java = work.resolve("fake-java");
        Files.writeString(java, """
                #!/bin/bash
                echo "$*" >> %s
                for a in "$@"; do case "$a" in -XX:ArchiveClassesAtExit=*) echo "archive from $$" > "${a#*=}";; esac; done
                echo "runner ran"
                """.formatted(calls));
        java.toFile().setExecutable(true);
    }

    private Process runJob() throws Exception {
        JobSpec spec = JobSpec.builder().jobName("hpc-test").cluster("dahu").jobDir(jobDir.toString())
                .time(Duration.ofMinutes(5)).build();
        String script = BatchScript.render(new LocalScheduler(2), spec, work.toString(), List.of(),
                new BatchScript.JavaPayload(java.toString(), BatchScript.RUNNER_JVM_OPTIONS, jar.toString(), sha256(jarBytes),
                        cellJar.toString(), sha256(cellBytes)), "t");
        Files.writeString(jobDir.resolve("job.sh"), script);
        Files.deleteIfExists(jobDir.resolve("stderr"));
        Process p = new ProcessBuilder("/bin/bash", jobDir.resolve("job.sh").toString()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    private String stderr() throws Exception {
        return Files.readString(jobDir.resolve("stderr"));
    }

    private List<String> calls() throws Exception {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void theRightJarRunsAndTheFirstJobRecordsItsArchive() throws Exception {
        int rc = runJob().exitValue();
        assertEquals(0, rc, stderr());
        assertEquals("runner ran\n", Files.readString(jobDir.resolve("stdout")));
        assertTrue(calls().get(0).contains("-XX:ArchiveClassesAtExit=" + work.resolve("runner/r.jsa.")), calls().toString());
        Path jsa = work.resolve("runner/r.jsa");
        assertEquals(sha256(Files.readAllBytes(jsa)), Files.readString(work.resolve("runner/r.jsa.sha256")));
        try (var left = Files.list(work.resolve("runner"))) {
            assertEquals(3, left.count(), "jar, archive and its hash; no temporary files");
        }
        assertEquals(0, runJob().exitValue());
        assertTrue(calls().get(1).contains("-XX:SharedArchiveFile=" + jsa), calls().toString());
        assertEquals("", stderr());
    }

    @Test
    void aJarWithAnotherHashIsNeverRunAndIsRemovedForReupload() throws Exception {
        Files.writeString(jar, "planted: same name, other bytes");
        Process p = runJob();
        assertEquals(BatchScript.RUNNER_REFUSED, p.exitValue());
        assertTrue(stderr().contains("hpc-kernel: refusing to run the runner jar " + jar + ": its SHA-256 is "
                + sha256("planted: same name, other bytes".getBytes(StandardCharsets.UTF_8)) + ", not " + sha256(jarBytes)
                + " (corrupted or replaced)"), stderr());
        assertEquals(List.of(), calls(), "the jar must not have been run");
        assertFalse(Files.exists(jar), "the bad jar is removed, so the kernel uploads the right one next time");
        assertTrue(Files.readString(jobDir.resolve("exit")).startsWith(BatchScript.RUNNER_REFUSED + " "));
    }

    @Test
    void cellClassesWithAnotherHashAreNeverRunAndAreRemovedForReupload() throws Exception {
        Files.writeString(cellJar, "planted classes");
        Process p = runJob();
        assertEquals(BatchScript.RUNNER_REFUSED, p.exitValue());
        assertTrue(stderr().contains("hpc-kernel: refusing to run the cell's compiled classes " + cellJar + ": its SHA-256 is "
                + sha256("planted classes".getBytes(StandardCharsets.UTF_8)) + ", not " + sha256(cellBytes)), stderr());
        assertEquals(List.of(), calls(), "the runner must not have been started");
        assertFalse(Files.exists(cellJar), "the bad jar is removed, so the kernel uploads the right one next time");
        assertTrue(Files.exists(jar), "the runner jar was fine and stays");
    }

    @Test
    void missingCellClassesAreReported() throws Exception {
        Files.delete(cellJar);
        assertEquals(BatchScript.RUNNER_REFUSED, runJob().exitValue());
        assertTrue(stderr().contains("refusing to run the cell's compiled classes " + cellJar + ": it is missing"), stderr());
        assertEquals(List.of(), calls());
    }

    @Test
    void aMissingJarIsReported() throws Exception {
        Files.delete(jar);
        assertEquals(BatchScript.RUNNER_REFUSED, runJob().exitValue());
        assertTrue(stderr().contains("refusing to run the runner jar " + jar + ": it is missing"), stderr());
        assertEquals(List.of(), calls());
    }

    @Test
    void anArchiveThatDoesNotMatchItsHashIsNotUsedAndIsMadeAgain() throws Exception {
        assertEquals(0, runJob().exitValue());
        Path jsa = work.resolve("runner/r.jsa");
        Files.writeString(jsa, "tampered archive");
        assertEquals(0, runJob().exitValue());
        assertTrue(stderr().contains("not using the class-data archive " + jsa), stderr());
        assertFalse(calls().get(1).contains("SharedArchiveFile"), calls().toString());
        // removed and written again by that job, with a fresh hash: the next job uses it
        assertEquals(sha256(Files.readAllBytes(jsa)), Files.readString(work.resolve("runner/r.jsa.sha256")));
        assertEquals(0, runJob().exitValue());
        assertTrue(calls().get(2).contains("-XX:SharedArchiveFile=" + jsa), calls().toString());
    }

    @Test
    void anOldArchiveWithoutItsHashIsReplaced() throws Exception {
        Path jsa = work.resolve("runner/r.jsa");
        Files.writeString(jsa, "an older kernel's archive");
        assertEquals(0, runJob().exitValue());
        assertFalse(calls().get(0).contains("SharedArchiveFile"), "young: maybe a link in progress, left alone");
        assertEquals("an older kernel's archive", Files.readString(jsa));
        Files.setLastModifiedTime(jsa, FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        assertEquals(0, runJob().exitValue());
        assertTrue(calls().get(1).contains("-XX:ArchiveClassesAtExit="), calls().toString());
        assertEquals(sha256(Files.readAllBytes(jsa)), Files.readString(work.resolve("runner/r.jsa.sha256")));
        assertEquals(0, runJob().exitValue());
        assertTrue(calls().get(2).contains("-XX:SharedArchiveFile=" + jsa), calls().toString());
    }

    @Test
    void aFailedJobLeavesNoArchive() throws Exception {
        Files.writeString(java, Files.readString(java).replace("echo \"runner ran\"", "exit 3"));
        assertEquals(3, runJob().exitValue());
        assertFalse(Files.exists(work.resolve("runner/r.jsa")));
        try (var left = Files.list(work.resolve("runner"))) {
            assertEquals(1, left.count());
        }
    }
}
