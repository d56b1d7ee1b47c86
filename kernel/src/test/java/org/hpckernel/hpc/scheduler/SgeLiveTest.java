package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hpckernel.hpc.BatchScript;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SgeScheduler against a real Grid Engine: the kernel's own batch script (BatchScript with our
 * directives and prologue), submitted, polled, cancelled and accounted through ProcessBuilder (no
 * shell). Runs only with HPC_TEST_SGE=1, on the cluster of scripts/cluster/sge-up.sh (queues all.q
 * and long.q, parallel environment smp). About 40 s, most of it the h_rt test.
 */
@EnabledIfEnvironmentVariable(named = "HPC_TEST_SGE", matches = "1")
class SgeLiveTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final SgeScheduler sge = new SgeScheduler("smp");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    // ------------------------------------------------------------------ helpers

    static CommandResult run(List<String> argv) throws IOException, InterruptedException {
        File out = File.createTempFile("sge-live", ".out");
        File err = File.createTempFile("sge-live", ".err");
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out)
                    .redirectError(err)
                    .start();
            boolean done = p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            return new CommandResult(argv, done ? p.exitValue() : -1,
                    Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8), !done);
        } finally {
            out.delete();
            err.delete();
        }
    }

    private static String uniqueName() {
        return "hk-live-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JobSpec spec(String name, Path jobDir, String partition, Duration time, Integer ntasks, Long mem,
            String array) {
        return JobSpec.builder().jobName(name).cluster("live").jobDir(jobDir.toString()).partition(partition)
                .time(time).ntasks(ntasks).memMegabytes(mem).array(array).build();
    }

    /** job.sh as the kernel writes it (BatchScript), running {@code payload} with the given body. */
    private String writeScript(JobSpec spec, String... body) throws Exception {
        Path jobDir = Path.of(spec.jobDir());
        Files.createDirectories(jobDir);
        Path payload = jobDir.resolve("payload");
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("echo \"job=$HPC_JOB_ID index=$HPC_ARRAY_INDEX\"");
        lines.addAll(List.of(body));
        Files.writeString(payload, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(payload, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = BatchScript.render(sge, spec, dir.toString(), List.of(), new BatchScript.ShebangPayload(),
                "live test " + spec.jobName());
        Path file = jobDir.resolve("job.sh");
        Files.writeString(file, script);
        return file.toString();
    }

    private String submit(JobSpec spec, String... body) throws Exception {
        return sge.parseJobId(run(sge.submitCommand(spec, writeScript(spec, body))), spec);
    }

    private Optional<JobStatus> status(String id) throws Exception {
        return Optional.ofNullable(sge.parseStatus(run(sge.statusCommand(List.of(id))), List.of(id)).get(id));
    }

    /** Polls until the job is gone from qstat (or until {@code until} holds); returns the states seen, in order. */
    private List<JobState> follow(String id, Predicate<JobState> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JobState> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Optional<JobStatus> s = status(id);
            if (s.isEmpty()) {
                return seen;
            }
            JobState st = s.get().state();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != st) {
                seen.add(st);
            }
            if (until.test(st)) {
                return seen;
            }
            Thread.sleep(50);
        }
        return fail("job " + id + " still listed after " + timeout + "; seen " + seen);
    }

    private List<JobState> followToEnd(String id, Duration timeout) throws Exception {
        return follow(id, st -> false, timeout);
    }

    /** qacct's record, once written. */
    private Optional<JobAccounting> accounting(String id, boolean expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(expected ? 30 : 3).toNanos();
        while (true) {
            Optional<JobAccounting> a = sge.parseAccounting(run(sge.accountingCommand(id).orElseThrow()), id);
            if (a.isPresent() || System.nanoTime() > deadline) {
                return a;
            }
            Thread.sleep(300);
        }
    }

    /** The exit marker the batch script's EXIT trap writes: "rc epoch host". */
    private static String exitMarker(Path jobDir, String suffix) throws Exception {
        Path f = jobDir.resolve("exit" + suffix);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(f) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return Files.exists(f) ? Files.readString(f).strip().split(" ")[0] : "(no exit marker)";
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(missing " + file + ")";
    }

    // ------------------------------------------------------------------ tests

    @Test
    void version() throws Exception {
        CommandResult r = run(sge.versionCommands().get(0));
        assertTrue(r.stdout().startsWith("SGE "), r.output());
    }

    @Test
    void submitRunFinishAccount() throws Exception {
        String name = uniqueName();
        Path jobDir = dir.resolve("ok");
        long t0 = System.nanoTime();
        String id = submit(spec(name, jobDir, "all.q", Duration.ofMinutes(5), null, null, null), "sleep 3", "exit 0");
        assertTrue(id.matches("[0-9]+"), id);
        assertEquals(Optional.of(id), sge.parseFindByName(run(sge.findByNameCommand(name)), name));

        List<JobState> seen = follow(id, st -> st == JobState.RUNNING, Duration.ofSeconds(30));
        System.out.printf("sge submit->RUNNING (qstat): %.2f s, states %s%n", (System.nanoTime() - t0) / 1e9, seen);
        assertEquals(JobState.RUNNING, seen.get(seen.size() - 1), seen.toString());
        assertTrue(seen.size() == 1 || seen.equals(List.of(JobState.PENDING, JobState.RUNNING)), seen.toString());
        status(id).ifPresent(s -> assertNotNull(s.node(), s.toString())); // unless it has just ended
        while (!Files.exists(jobDir.resolve("started")) && System.nanoTime() - t0 < 30_000_000_000L) {
            Thread.sleep(20);
        }
        System.out.printf("sge submit->started marker: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        followToEnd(id, Duration.ofSeconds(60));
        assertEquals("0", exitMarker(jobDir, ""));
        assertTrue(read(jobDir.resolve("stdout")).contains("job=" + id + " index=\n"), read(jobDir.resolve("stdout")));
        assertTrue(Files.exists(jobDir.resolve("scheduler.out")));

        JobAccounting a = accounting(id, true).orElseThrow();
        assertEquals(JobState.COMPLETED, a.state());
        assertEquals(0, a.exitCode());
        assertTrue(a.elapsed().compareTo(Duration.ofSeconds(3)) >= 0, a.toString());
        assertNotNull(a.cpuTime());
        assertNotNull(a.node());
    }

    @Test
    void aFailingExitCode() throws Exception {
        Path jobDir = dir.resolve("fail");
        String id = submit(spec(uniqueName(), jobDir, null, null, null, null, null), "exit 3");
        followToEnd(id, Duration.ofSeconds(60));
        assertEquals("3", exitMarker(jobDir, ""));
        JobAccounting a = accounting(id, true).orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(3, a.exitCode());
    }

    @Test
    void aBadQueueIsRefusedWithQsubsWords() throws Exception {
        JobSpec bad = spec(uniqueName(), dir.resolve("badq"), "nope", null, null, null, null);
        CommandResult r = run(sge.submitCommand(bad, writeScript(bad, "true")));
        SchedulerException e = assertThrows(SchedulerException.class, () -> sge.parseJobId(r, bad));
        assertEquals("Unable to run job: Job was rejected because job requests unknown queue \"nope\" "
                + "(from --partition nope)", e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void cancelARunningJob() throws Exception {
        Path jobDir = dir.resolve("cancel");
        String id = submit(spec(uniqueName(), jobDir, null, null, null, null, null), "sleep 300");
        follow(id, st -> st == JobState.RUNNING, Duration.ofSeconds(30));
        CommandResult c = run(sge.cancelCommand(id));
        assertTrue(c.ok(), c.output());
        assertTrue(c.stdout().contains("has registered the job " + id + " for deletion"), c.output());
        followToEnd(id, Duration.ofSeconds(30));
        // qdel kills with SIGKILL: no EXIT trap, the accounting tells
        JobAccounting a = accounting(id, true).orElseThrow();
        assertEquals(JobState.CANCELLED, a.state());
        assertEquals(9, a.signal());
    }

    @Test
    void cancelAPendingJob() throws Exception {
        // 64 slots: more than this cluster has, so it waits ("qw") until deleted
        String id = submit(spec(uniqueName(), dir.resolve("pending"), null, null, 64, null, null), "true");
        Thread.sleep(1500);
        JobStatus s = status(id).orElseThrow();
        assertEquals(new JobStatus(JobState.PENDING, null, null, null), s);
        CommandResult c = run(sge.cancelCommand(id));
        assertTrue(c.stdout().contains("has deleted job " + id), c.output());
        assertEquals(Optional.empty(), status(id));
        assertEquals(Optional.empty(), accounting(id, false));
    }

    @Test
    void anArrayWithOneFailingTask() throws Exception {
        Path jobDir = dir.resolve("array");
        String id = submit(spec(uniqueName(), jobDir, null, null, null, null, "1-3"),
                "sleep 1", "[ \"$HPC_ARRAY_INDEX\" = 2 ] && exit 5", "exit 0");
        List<JobState> seen = followToEnd(id, Duration.ofSeconds(60));
        assertFalse(seen.isEmpty());
        for (int i = 1; i <= 3; i++) {
            assertEquals(i == 2 ? "5" : "0", exitMarker(jobDir, "." + i));
            assertTrue(read(jobDir.resolve("stdout." + i)).contains("job=" + id + " index=" + i + "\n"),
                    read(jobDir.resolve("stdout." + i)));
            assertTrue(Files.exists(jobDir.resolve("scheduler." + i + ".out")), "scheduler." + i + ".out");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (SgeAccounting.tasks(run(sge.accountingCommand(id).orElseThrow()).stdout(), id).size() < 3
                && System.nanoTime() < deadline) {
            Thread.sleep(300); // qacct has one record per task
        }
        JobAccounting a = accounting(id, true).orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(5, a.exitCode());
    }

    @Test
    void overTheTimeLimit() throws Exception {
        Path jobDir = dir.resolve("timeout");
        long t0 = System.nanoTime();
        String id = submit(spec(uniqueName(), jobDir, null, Duration.ofSeconds(3), null, null, null), "sleep 120");
        followToEnd(id, Duration.ofSeconds(90));
        System.out.printf("sge h_rt=3 s job gone after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        JobAccounting a = accounting(id, true).orElseThrow();
        assertEquals(JobState.TIMEOUT, a.state(), a.toString());
        assertEquals(137, a.exitCode());
    }

    @Test
    void aJvmStartsUnderAnAddressSpaceLimit() throws Exception {
        // --mem 1024M -> h_vmem=1024M: without the prologue's JVM sizing, java would not even start
        Path jobDir = dir.resolve("jvm");
        String id = submit(spec(uniqueName(), jobDir, null, null, null, 1024L, null),
                "ulimit -v", "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version",
                "echo control: >&2", "env -u JAVA_TOOL_OPTIONS java -XX:+UseSerialGC -version && exit 9", "exit 0");
        followToEnd(id, Duration.ofSeconds(60));
        String out = read(jobDir.resolve("stdout"));
        String err = read(jobDir.resolve("stderr"));
        assertEquals("0", exitMarker(jobDir, ""), out + err);
        assertTrue(out.contains("1048576"), out);
        String sized = err.substring(0, err.indexOf("control:"));
        assertTrue(sized.contains("openjdk version") || sized.contains("java version"), err);
        // the control run, without the sizing: the JVM prints its start-up failure on stdout
        assertTrue(out.contains("Could not allocate compressed class space")
                || out.contains("Could not reserve enough space"), out);
    }

    @Test
    void twoSlotsThroughTheParallelEnvironment() throws Exception {
        Path jobDir = dir.resolve("pe");
        String id = submit(spec(uniqueName(), jobDir, null, null, 2, 512L, null), "echo slots=$NSLOTS", "ulimit -v");
        followToEnd(id, Duration.ofSeconds(60));
        String out = read(jobDir.resolve("stdout"));
        assertTrue(out.contains("slots=2\n"), out);
        assertTrue(out.contains("\n524288\n"), out); // 2 x ceil(512/2) MB of h_vmem
        assertEquals(JobState.COMPLETED, accounting(id, true).orElseThrow().state());
    }

    @Test
    void severalJobsInOneStatusCallAndUnknownIds() throws Exception {
        String a = submit(spec(uniqueName(), dir.resolve("a"), null, null, null, null, null), "sleep 5");
        String b = submit(spec(uniqueName(), dir.resolve("b"), null, null, null, null, null), "sleep 5");
        Map<String, JobStatus> s = sge.parseStatus(run(sge.statusCommand(List.of(a, b, "999999"))),
                List.of(a, b, "999999"));
        assertTrue(s.containsKey(a) && s.containsKey(b), s.toString());
        assertFalse(s.containsKey("999999"));
        CommandResult unknown = run(sge.cancelCommand("999999"));
        assertFalse(unknown.ok());
        assertFalse(sge.isTransient(unknown));
        assertEquals(Optional.empty(), accounting("999999", false));
        followToEnd(a, Duration.ofSeconds(60));
        followToEnd(b, Duration.ofSeconds(60));
    }
}
