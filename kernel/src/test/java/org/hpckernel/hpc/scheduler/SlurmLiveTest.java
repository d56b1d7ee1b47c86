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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SlurmScheduler against a real Slurm: submit, status, cancel, accounting, through
 * ProcessBuilder (no shell). Runs only with HPC_TEST_SLURM=1 (CI brings the cluster up with
 * scripts/cluster/slurm-up.sh first). A job that runs out of time is tested end to end, on every
 * scheduler, by tests/hpc (the cell's error and state).
 * Works with CLUSTER_ACCOUNTING=none too (then accounting must be empty).
 */
@EnabledIfEnvironmentVariable(named = "HPC_TEST_SLURM", matches = "1")
class SlurmLiveTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final SlurmScheduler slurm = new SlurmScheduler();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    // ------------------------------------------------------------------ helpers

    static CommandResult run(List<String> argv) throws IOException, InterruptedException {
        File out = File.createTempFile("slurm-live", ".out");
        File err = File.createTempFile("slurm-live", ".err");
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

    private JobSpec spec(String name, Path jobDir, String partition, Duration time, String array) {
        return JobSpec.builder().jobName(name).cluster("live").jobDir(jobDir.toString()).partition(partition)
                .time(time).array(array).build();
    }

    /** Writes job.sh (shebang, our directives, HPC_JOB_ID/HPC_ARRAY_INDEX as the kernel sets them, body). */
    private String writeScript(JobSpec spec, String... body) throws Exception {
        Path jobDir = Path.of(spec.jobDir());
        Files.createDirectories(jobDir);
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.addAll(slurm.directives(spec));
        lines.add("export HPC_JOB_ID=\"" + slurm.jobIdVariable() + "\"");
        lines.add("export HPC_ARRAY_INDEX=\"" + slurm.arrayIndexVariable() + "\"");
        lines.add("echo \"job=$HPC_JOB_ID index=$HPC_ARRAY_INDEX\"");
        lines.addAll(List.of(body));
        Path script = jobDir.resolve("job.sh");
        Files.writeString(script, String.join("\n", lines) + "\n");
        return script.toString();
    }

    private String submit(JobSpec spec, String... body) throws Exception {
        String script = writeScript(spec, body);
        return slurm.parseJobId(run(slurm.submitCommand(spec, script)), spec);
    }

    private JobStatus waitFor(String id, Predicate<JobState> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = null;
        while (System.nanoTime() < deadline) {
            Map<String, JobStatus> all = slurm.parseStatus(run(slurm.statusCommand(List.of(id))), List.of(id));
            last = all.get(id);
            if (last != null && until.test(last.state())) {
                return last;
            }
            Thread.sleep(200);
        }
        return fail("job " + id + " still " + last + " after " + timeout);
    }

    /** Accounting once slurmdbd has the final record; empty when accounting is off. */
    private Optional<JobAccounting> accounting(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            CommandResult r = run(slurm.accountingCommand(id).orElseThrow());
            Optional<JobAccounting> a = slurm.parseAccounting(r, id);
            if (r.output().contains("accounting storage is disabled")) {
                assertEquals(Optional.empty(), a);
                return a;
            }
            if (a.isPresent() && a.get().state().isFinal() || System.nanoTime() > deadline) {
                return a;
            }
            Thread.sleep(300);
        }
    }

    private String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(missing " + file + ")";
    }

    // ------------------------------------------------------------------ tests

    @Test
    void versions() throws Exception {
        for (List<String> argv : slurm.versionCommands()) {
            CommandResult r = run(argv);
            assertTrue(r.ok(), r.output());
            assertTrue(r.stdout().startsWith("slurm"), r.stdout());
        }
    }

    @Test
    void aJobThatCompletes() throws Exception {
        String name = uniqueName();
        Path jobDir = dir.resolve("ok");
        String id = submit(spec(name, jobDir, "debug", Duration.ofSeconds(90), null), "sleep 1", "exit 0");
        assertTrue(id.matches("[0-9]+"), id);

        assertEquals(Optional.of(id), slurm.parseFindByName(run(slurm.findByNameCommand(name)), name));

        JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(60));
        assertEquals(JobState.COMPLETED, s.state(), s.toString());
        assertNotNull(s.node());
        assertTrue(read(jobDir.resolve("scheduler.out")).contains("job=" + id + " index=\n"),
                read(jobDir.resolve("scheduler.out")));

        Optional<JobAccounting> a = accounting(id);
        a.ifPresent(acct -> {
            assertEquals(JobState.COMPLETED, acct.state());
            assertEquals(0, acct.exitCode());
            assertEquals(0, acct.signal());
            assertTrue(acct.elapsed().compareTo(Duration.ofSeconds(1)) >= 0, acct.toString());
            assertNotNull(acct.cpuTime());
            assertNotNull(acct.node());
        });
    }

    @Test
    void aJobThatFails() throws Exception {
        String id = submit(spec(uniqueName(), dir.resolve("fail"), null, null, null), "exit 3");
        JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(60));
        assertEquals(new JobStatus(JobState.FAILED, "NonZeroExitCode", s.node(), null), s);
        accounting(id).ifPresent(acct -> {
            assertEquals(JobState.FAILED, acct.state());
            assertEquals(3, acct.exitCode());
        });
    }

    @Test
    void cancelARunningJob() throws Exception {
        Path jobDir = dir.resolve("cancel");
        String id = submit(spec(uniqueName(), jobDir, null, null, null), "sleep 300");
        waitFor(id, st -> st == JobState.RUNNING || st.isFinal(), Duration.ofSeconds(60));
        CommandResult c = run(slurm.cancelCommand(id));
        assertTrue(c.ok(), c.output());
        JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(30));
        assertEquals(JobState.CANCELLED, s.state());
        accounting(id).ifPresent(acct -> {
            assertEquals(JobState.CANCELLED, acct.state());
            // SIGTERM, or SIGKILL KillWait later when the script was still starting
            assertTrue(acct.signal() == 15 || acct.signal() == 9, acct.toString());
        });
        // Slurm writes the cancellation into the job's own output
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!read(jobDir.resolve("scheduler.out")).contains("CANCELLED") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(read(jobDir.resolve("scheduler.out")).contains("*** JOB " + id), read(jobDir.resolve("scheduler.out")));
    }

    @Test
    void anArrayWithOneFailingTask() throws Exception {
        Path jobDir = dir.resolve("array");
        String id = submit(spec(uniqueName(), jobDir, null, null, "1-3"),
                "[ \"$HPC_ARRAY_INDEX\" = 2 ] && exit 4", "exit 0");
        JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(90));
        assertEquals(JobState.FAILED, s.state(), s.toString());
        Map<String, JobState> tasks = slurm.taskStates(run(slurm.statusCommand(List.of(id))));
        assertEquals(Map.of(id + "_1", JobState.COMPLETED, id + "_2", JobState.FAILED, id + "_3", JobState.COMPLETED),
                tasks);
        for (int i = 1; i <= 3; i++) {
            String out = read(jobDir.resolve("scheduler." + i + ".out"));
            assertTrue(out.contains("job=" + id + " index=" + i + "\n"), out);
        }
        accounting(id).ifPresent(acct -> {
            assertEquals(JobState.FAILED, acct.state());
            assertEquals(4, acct.exitCode());
        });
    }

    @Test
    void severalJobsInOneStatusCall() throws Exception {
        String a = submit(spec(uniqueName(), dir.resolve("a"), null, null, null), "true");
        String b = submit(spec(uniqueName(), dir.resolve("b"), null, null, null), "exit 1");
        waitFor(a, JobState::isFinal, Duration.ofSeconds(60));
        waitFor(b, JobState::isFinal, Duration.ofSeconds(60));
        Map<String, JobStatus> s = slurm.parseStatus(run(slurm.statusCommand(List.of(a, b, "99999"))),
                List.of(a, b, "99999"));
        assertEquals(JobState.COMPLETED, s.get(a).state());
        assertEquals(JobState.FAILED, s.get(b).state());
        assertFalse(s.containsKey("99999"));
    }

    @Test
    void unknownJobsAreMissingNotErrors() throws Exception {
        assertEquals(Map.of(), slurm.parseStatus(run(slurm.statusCommand(List.of("99999"))), List.of("99999")));
        assertEquals(Map.of(), slurm.parseStatus(run(slurm.statusCommand(List.of("99998", "99999"))),
                List.of("99998", "99999")));
        assertTrue(run(slurm.cancelCommand("99999")).ok());
        assertEquals(Optional.empty(), slurm.parseAccounting(run(slurm.accountingCommand("99999").orElseThrow()), "99999"));
        String name = uniqueName();
        assertEquals(Optional.empty(), slurm.parseFindByName(run(slurm.findByNameCommand(name)), name));
    }

    @Test
    void refusalsNameTheOption() throws Exception {
        JobSpec badPartition = spec(uniqueName(), dir.resolve("badpart"), "nosuchpartition", null, null);
        String script = writeScript(badPartition, "true");
        CommandResult r = run(slurm.submitCommand(badPartition, script));
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, badPartition));
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("invalid partition specified: nosuchpartition"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(from --partition nosuchpartition)"), e.getMessage());

        JobSpec tooLong = spec(uniqueName(), dir.resolve("toolong"), "debug", Duration.ofHours(2), null);
        CommandResult t = run(slurm.submitCommand(tooLong, writeScript(tooLong, "true")));
        SchedulerException te = assertThrows(SchedulerException.class, () -> slurm.parseJobId(t, tooLong));
        assertTrue(te.getMessage().endsWith("(from --time 02:00:00)"), te.getMessage());
    }

}
