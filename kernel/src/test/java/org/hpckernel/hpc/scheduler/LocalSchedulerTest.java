package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend's commands, run for real with bash, setsid and /proc. HOME points at a
 * temporary directory so that timeout records stay out of the real one.
 */
class LocalSchedulerTest {
    @TempDir
    Path home;

    private final LocalScheduler scheduler = new LocalScheduler(4);
    private final List<String> started = new ArrayList<>();

    private CommandResult run(List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "command hung: " + argv);
        return new CommandResult(argv, p.exitValue(), out, err, false);
    }

    private String submit(String body, Duration time) throws Exception {
        return submit(body, time, null);
    }

    private String submit(String body, Duration time, String array) throws Exception {
        JobSpec spec = JobSpec.builder().jobName("t").cluster("local").jobDir(home.resolve("job").toString())
                .time(time).array(array).build();
        List<String> lines = new ArrayList<>(List.of("#!/bin/bash"));
        lines.addAll(scheduler.directives(spec));
        lines.add("export HPC_JOB_ID=\"" + scheduler.jobIdVariable() + "\"");
        lines.add("export HPC_ARRAY_INDEX=\"" + scheduler.arrayIndexVariable() + "\"");
        lines.add("trap '" + scheduler.releaseSlot() + "; echo done > " + home.resolve("ended") + "$HPC_ARRAY_INDEX' EXIT");
        lines.add("trap 'exit 143' TERM");
        lines.addAll(scheduler.prologue(home.toString()));
        lines.add("echo \"$HPC_JOB_ID\" > " + home.resolve("id-inside"));
        lines.add(body);
        Path script = home.resolve("job.sh");
        Files.writeString(script, String.join("\n", lines) + "\n");
        String id = scheduler.parseJobId(run(scheduler.submitCommand(spec, script.toString())), spec);
        started.add(id);
        return id;
    }

    private boolean running(String id) throws Exception {
        return scheduler.parseStatus(run(scheduler.statusCommand(List.of(id))), List.of(id)).containsKey(id)
                && scheduler.parseStatus(run(scheduler.statusCommand(List.of(id))), List.of(id)).get(id).state() == JobState.RUNNING;
    }

    private boolean ended(String id) throws Exception {
        JobStatus s = scheduler.parseStatus(run(scheduler.statusCommand(List.of(id))), List.of(id)).get(id);
        return s == null || s.state().isFinal();
    }

    private void awaitFile(Path p) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(p); i++) Thread.sleep(100); // bounded wait for an event
        assertTrue(Files.exists(p), p + " never appeared");
    }

    @AfterEach
    void killLeftovers() throws Exception {
        for (String id : started) run(scheduler.cancelCommand(id));
        // The EXIT traps write into the temporary home: it goes only once they have run.
        for (String id : started) {
            for (int i = 0; i < 300 && !ended(id); i++) {
                Thread.sleep(100); // bounded wait for the process to be gone
            }
        }
    }

    @Test
    void aJobIsItsPidAndStartTimeAndKnowsItsOwnId() throws Exception {
        String id = submit("sleep 60", null);
        assertTrue(id.matches("\\d+\\.[A-Za-z0-9]+"), id);
        assertTrue(running(id));
        awaitFile(home.resolve("id-inside"));
        assertEquals(id, Files.readString(home.resolve("id-inside")).strip());
    }

    @Test
    void aReusedPidIsNeitherFollowedNorSignalled() throws Exception {
        // An unrelated process group, standing for the process that got the job's old pid.
        Process other = new ProcessBuilder("setsid", "sleep", "60").start();
        try {
            long pid = other.pid();
            String realKey = run(List.of("/bin/bash", "-c", LocalScheduler.START_KEY_FUNCTION + "; hpc_start_key " + pid))
                    .stdout().strip();
            assertFalse(realKey.isEmpty());
            String staleId = pid + "." + (Long.parseLong(realKey) - 1); // the ledger's job, started earlier
            assertFalse(scheduler.parseStatus(run(scheduler.statusCommand(List.of(staleId))), List.of(staleId)).containsKey(staleId),
                    "a process with the job's pid but another start time was taken for the job");
            CommandResult cancel = run(scheduler.cancelCommand(staleId));
            assertNotEquals(0, cancel.exitCode());
            assertTrue(cancel.stderr().contains("not running"), cancel.stderr());
            assertTrue(other.isAlive(), "cancel signalled an unrelated process group");
            // the same commands with the right start time do reach it (the check is not vacuous)
            String liveId = pid + "." + realKey;
            assertTrue(running(liveId));
            assertEquals(0, run(scheduler.cancelCommand(liveId)).exitCode());
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void cancelStopsTheJob() throws Exception {
        String id = submit("sleep 60", null);
        awaitFile(home.resolve("id-inside"));
        assertEquals(0, run(scheduler.cancelCommand(id)).exitCode());
        awaitFile(home.resolve("ended"));
        assertFalse(running(id));
    }

    @Test
    void theTimeLimitStopsTheJobAndTheStatusSaysTimeout() throws Exception {
        String id = submit("sleep 120", Duration.ofSeconds(2));
        awaitFile(home.resolve("ended")); // bounded by awaitFile; without the limit it would take 120 s
        JobStatus s = scheduler.parseStatus(run(scheduler.statusCommand(List.of(id))), List.of(id)).get(id);
        assertEquals(JobState.TIMEOUT, s == null ? null : s.state());
    }

    @Test
    void theTimeLimitStopsEveryTaskOfAnArray() throws Exception {
        String id = submit("sleep 120", Duration.ofSeconds(2), "1-2");
        awaitFile(home.resolve("ended1"));
        awaitFile(home.resolve("ended2"));
        // the tasks' sleeps went with them: nothing but zombies is left in the job's session
        String pid = id.substring(0, id.indexOf('.'));
        for (int i = 0; i < 100; i++) {
            String left = run(List.of("/bin/bash", "-c", "ps -eo sid=,stat=,args= | awk '$1 == " + pid + " && $2 !~ /^Z/'"))
                    .stdout().strip();
            if (left.isEmpty()) break;
            Thread.sleep(100); // bounded wait for the wrapper's own exit
        }
        JobStatus s = scheduler.parseStatus(run(scheduler.statusCommand(List.of(id))), List.of(id)).get(id);
        assertEquals(JobState.TIMEOUT, s == null ? null : s.state());
        assertEquals("", run(List.of("/bin/bash", "-c", "ps -eo sid=,stat=,args= | awk '$1 == " + pid + " && $2 !~ /^Z/'"))
                .stdout().strip());
    }

    @Test
    void aJobWithinItsLimitIsNotStoppedAndLeavesNoRecord() throws Exception {
        String id = submit("true", Duration.ofSeconds(60));
        awaitFile(home.resolve("ended"));
        assertFalse(scheduler.parseStatus(run(scheduler.statusCommand(List.of(id))), List.of(id)).containsKey(id));
        // the watchdog went with the job: nothing but zombies (where init does not reap) is left in its session
        String pid = id.substring(0, id.indexOf('.'));
        CommandResult left = run(List.of("/bin/bash", "-c", "ps -eo sid=,stat=,args= | awk '$1 == " + pid + " && $2 !~ /^Z/'"));
        assertEquals("", left.stdout().strip(), "leftover processes of the job: " + left.stdout());
    }
}
