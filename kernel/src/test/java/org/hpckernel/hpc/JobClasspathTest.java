package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.hpckernel.hpc.transport.LocalTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar cache of a work directory, on real files (LocalTransport) and run by a real bash: jars
 * are stored by content, uploaded once, and job.sh runs the runner only when every cached jar has
 * the SHA-256 its name says. "java" is a stand-in that records its call, as in RunnerVerificationTest.
 */
class JobClasspathTest {
    @TempDir
    Path tmp;
    Path work;
    Path session;
    Path lib;
    Path other;
    Path calls;
    Path java;
    final LocalTransport transport = new LocalTransport();

    @BeforeEach
    void setUp() throws Exception {
        work = tmp.resolve("work");
        WorkdirGuard.ensure(transport, work.toString());
        session = Files.createDirectories(tmp.resolve("m2/org/example/lib/1.0"));
        lib = Files.writeString(session.resolve("lib-1.0.jar"), "lib jar bytes");
        other = Files.writeString(session.resolve("other-2.0.jar"), "other jar bytes");
        calls = tmp.resolve("calls");
        java = tmp.resolve("fake-java");
        // job.sh also asks the JVM for its version (the recorded environment): only runner starts count.
        Files.writeString(java, "#!/bin/bash\ncase \"$*\" in *-jar*) echo \"$*\" >> " + calls + ";; esac\necho \"runner ran\"\n");
        java.toFile().setExecutable(true);
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private JobClasspath classpath() throws Exception {
        return JobClasspath.of(work.toString(), List.of(lib.toString(), tmp.toString(), other.toString(), lib.toString()));
    }

    private Process runJob(JobClasspath cp) throws Exception {
        Path jobDir = Files.createDirectories(work.resolve("jobs/k1"));
        Files.deleteIfExists(jobDir.resolve("stderr"));
        byte[] runner = "runner".getBytes(StandardCharsets.UTF_8);
        Path runnerJar = Files.write(work.resolve("runner/r.jar"), runner);
        Path cellJar = Files.write(work.resolve("runner/c.jar"), "cell".getBytes(StandardCharsets.UTF_8));
        JobSpec spec = JobSpec.builder().jobName("hpc-test").cluster("c").jobDir(jobDir.toString()).time(Duration.ofMinutes(5)).build();
        String script = BatchScript.render(new LocalScheduler(2), spec, work.toString(), List.of(),
                new BatchScript.JavaPayload(java.toString(), List.of(), runnerJar.toString(), sha256("runner"),
                cellJar.toString(), sha256("cell"), cp.jars()), "t");
        Files.writeString(jobDir.resolve("job.sh"), script);
        Process p = new ProcessBuilder("/bin/bash", jobDir.resolve("job.sh").toString()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    private String stderr() throws Exception {
        return Files.readString(work.resolve("jobs/k1/stderr"));
    }

    @Test
    void jarsAreListedByContentDirectoriesAsTheyAreAndADuplicateOnce() throws Exception {
        JobClasspath cp = classpath();
        String cached = work + "/jars/" + sha256("lib jar bytes") + ".jar";
        assertEquals(List.of(cached, tmp.toString(), work + "/jars/" + sha256("other jar bytes") + ".jar"), cp.entries());
        assertEquals("lib-1.0.jar", cp.manifest().get(0).get("name"));
        assertEquals(sha256("lib jar bytes"), cp.manifest().get(0).get("sha256"));
        assertEquals(2, cp.manifest().size());
    }

    @Test
    void aJarIsUploadedOnlyWhenMissingAndThenRuns() throws Exception {
        JobClasspath cp = classpath();
        assertEquals(2, cp.stage(transport));
        Path cached = Path.of(cp.jars().get(0).path());
        assertEquals("lib jar bytes", Files.readString(cached));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cached)));
        var modified = Files.getLastModifiedTime(cached);
        assertEquals(0, classpath().stage(transport), "a second job uploads nothing");
        assertEquals(modified, Files.getLastModifiedTime(cached));
        Process p = runJob(cp);
        assertEquals(0, p.exitValue(), stderr());
        assertEquals(1, Files.readAllLines(calls).size());
    }

    @Test
    void aTamperedJarIsRefusedOnTheNodeRemovedAndUploadedForTheNextJob() throws Exception {
        JobClasspath cp = classpath();
        cp.stage(transport);
        Path cached = Path.of(cp.jars().get(1).path());
        Files.writeString(cached, "OTHER jar bytes"); // same size: the kernel's stat cannot tell
        assertEquals(0, classpath().stage(transport));
        Process p = runJob(cp);
        assertEquals(BatchScript.RUNNER_REFUSED, p.exitValue());
        assertTrue(stderr().contains("hpc-kernel: refusing to use the cached jar " + cached + " (other-2.0.jar): its SHA-256 is "
                + sha256("OTHER jar bytes") + ", not " + sha256("other jar bytes") + " (corrupted or replaced)"), stderr());
        assertFalse(Files.exists(calls), "the runner must not have started");
        assertFalse(Files.exists(cached), "removed, so that the kernel uploads it again");
        assertEquals(1, classpath().stage(transport));
        assertEquals("other jar bytes", Files.readString(cached));
        assertEquals(0, runJob(cp).exitValue(), stderr());
    }

    @Test
    void aMissingJarIsReported() throws Exception {
        JobClasspath cp = classpath();
        assertEquals(BatchScript.RUNNER_REFUSED, runJob(cp).exitValue());
        assertTrue(stderr().contains("refusing to use the cached jar " + cp.jars().get(0).path() + " (lib-1.0.jar): it is missing"), stderr());
    }

    @Test
    void aJarWithAQuoteInItsNameIsQuotedInTheScript() throws Exception {
        Path odd = Files.writeString(session.resolve("it's $(id).jar"), "odd");
        JobClasspath cp = JobClasspath.of(work.toString(), List.of(odd.toString()));
        cp.stage(transport);
        assertEquals(0, runJob(cp).exitValue(), stderr());
    }
}
