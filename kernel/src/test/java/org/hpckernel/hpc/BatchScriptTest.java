package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The common body of job.sh, rendered and then run by a real bash, as a job would be. */
class BatchScriptTest {
    private static JobSpec spec(Path dir, Map<String, String> env, List<String> modules, String array) {
        return JobSpec.builder().jobName("hpc-test").cluster("dahu").jobDir(dir.toString())
                .time(Duration.ofMinutes(5)).array(array).env(env).modules(modules).build();
    }

    private static Process run(Path script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Until the payload has printed "up" (bounded): it is running, past job.sh's fork. */
    private static void awaitPayloadUp(Path dir) throws Exception {
        Path stdout = dir.resolve("stdout");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(stdout) && Files.readString(stdout).contains("up")) && System.nanoTime() < deadline) Thread.onSpinWait();
        assertTrue(Files.readString(stdout).contains("up"), "the payload never started");
    }

    @Test
    void rendersReadableQuotedScriptThatWritesItsMarkers(@TempDir Path dir) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GREETING", "it's $HOME; `x`");
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, env, List.of(), null), dir.toString(),
                List.of("export FROM_SETUP=yes"), new BatchScript.ShebangPayload(), "test job");
        assertTrue(script.startsWith("#!/bin/bash\n"));
        assertTrue(script.contains("export GREETING='it'\\''s $HOME; `x`'"), script);
        assertTrue(script.contains("export HPC_CLUSTER=dahu"), script);
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho \"[$GREETING] $FROM_SETUP $HPC_CLUSTER\"\nexit 3\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Path job = dir.resolve("job.sh");
        Files.writeString(job, script);
        Process p = run(job, Map.of());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue());
        assertEquals("[it's $HOME; `x`] yes dahu\n", Files.readString(dir.resolve("stdout")));
        String[] exit = Files.readString(dir.resolve("exit")).strip().split(" ");
        assertEquals("3", exit[0]);
        // The first four words as before; then the sizes of the files the kernel follows, after the
        // payload exited (no events file for a shebang cell: 0, and nothing said about it in stderr).
        assertEquals(List.of("stdout=" + Files.size(dir.resolve("stdout")), "stderr=0", "events=0"),
                List.of(exit).subList(4, exit.length));
        assertEquals(Optional.of(new ExitMarker.Sizes(Files.size(dir.resolve("stdout")), 0, 0)),
                ExitMarker.parse(Files.readAllBytes(dir.resolve("exit"))).sizes());
        assertEquals("", Files.readString(dir.resolve("stderr")));
        assertTrue(Files.exists(dir.resolve("started")));
        // Markers are renamed into place whole: a kernel polling them never sees one half written.
        assertFalse(script.matches("(?s).*> \"\\$HPC_JOB_DIR/(exit|started)\\$hpc_suffix\".*"), script);
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void aScriptReadsItsInputsAndWritesItsOutputsPerTask(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), "1-2"), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(List.of("r")), "values");
        Files.createDirectories(dir.resolve("inputs"));
        Files.writeString(dir.resolve("inputs/xs.json"), "[1,2,3]");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\n"
                + "test \"$HPC_INPUTS\" = \"$HPC_JOB_DIR/inputs\" || exit 9\n"
                + "printf '{\"task\": %s, \"xs\": %s}' \"$HPC_ARRAY_INDEX\" \"$(cat \"$HPC_INPUTS/xs.json\")\" > \"$HPC_OUTPUTS/r.json\"\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = run(dir.resolve("job.sh"), Map.of("HPC_ARRAY_INDEX", "2"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.2")));
        assertEquals("{\"task\": 2, \"xs\": [1,2,3]}", Files.readString(dir.resolve("outputs.2/r.json")));
        assertFalse(Files.exists(dir.resolve("outputs")), "each task writes into its own directory");
    }

    /** A script that exits 0 without one of its --out files fails its job on the node, naming the file. */
    @Test
    void aScriptThatDidNotWriteAnOutputFailsItsJob(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), null), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(List.of("written", "forgotten")), "values");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho 1 > \"$HPC_OUTPUTS/written.json\"\necho done\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = run(dir.resolve("job.sh"), Map.of());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(BatchScript.OUTPUT_NOT_WRITTEN, p.exitValue());
        assertEquals("hpc-kernel: the script exited 0 without writing $HPC_OUTPUTS/forgotten.json, so --out forgotten has no value\n",
                Files.readString(dir.resolve("stderr")));
        assertTrue(Files.readString(dir.resolve("exit")).startsWith(BatchScript.OUTPUT_NOT_WRITTEN + " "));
        assertEquals("done\n", Files.readString(dir.resolve("stdout")));
    }

    /** A script's own failure keeps its exit code: the missing outputs are not what went wrong. */
    @Test
    void aFailedScriptKeepsItsOwnExitCode(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), null), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(List.of("forgotten")), "values");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\nexit 7\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = run(dir.resolve("job.sh"), Map.of());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(7, p.exitValue());
        assertEquals("", Files.readString(dir.resolve("stderr")));
    }

    @Test
    void arrayTasksWriteSuffixedFiles(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), "1-2"), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(), "array");
        // A stand-in for the runner's events, to see that each task's marker counts its own files.
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho task $HPC_ARRAY_INDEX\necho '{}' > events.$HPC_ARRAY_INDEX.jsonl\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("events.jsonl"), "not this task's\n");
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = run(dir.resolve("job.sh"), Map.of("HPC_ARRAY_INDEX", "2"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("task 2\n", Files.readString(dir.resolve("stdout.2")));
        assertTrue(Files.readString(dir.resolve("exit.2")).startsWith("0 "));
        assertTrue(Files.readString(dir.resolve("exit.2")).endsWith(" 1 stdout=7 stderr=0 events=3\n"), Files.readString(dir.resolve("exit.2")));
        assertFalse(Files.exists(dir.resolve("exit")));
    }

    @Test
    void aTerminatedJobStillWritesItsExitMarker(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), null), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(), "killed");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho up\nsleep 300\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = new ProcessBuilder("setsid", "/bin/bash", dir.resolve("job.sh").toString()).start();
        awaitPayloadUp(dir);
        assertTrue(Files.exists(dir.resolve("started")));
        new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("143 "));
        // The payload may still be writing when the trap runs: no sizes, the kernel waits for the files to settle.
        assertEquals(4, Files.readString(dir.resolve("exit")).strip().split(" ").length, Files.readString(dir.resolve("exit")));
        assertEquals("", Files.readString(dir.resolve("stderr")), "bash's job report (Terminated) is wrapper noise");
    }

    /** A payload killed by a signal job.sh does not trap: its exit code says so, bash's job report stays out of stderr. */
    @Test
    void aPayloadKilledAloneLeavesNoWrapperNoiseInStderr(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), null), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(), "killed alone");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho $$ > payload.pid\necho up\nexec sleep 298\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = new ProcessBuilder("setsid", "/bin/bash", dir.resolve("job.sh").toString()).start();
        awaitPayloadUp(dir);
        String payload = Files.readString(dir.resolve("payload.pid")).strip();
        new ProcessBuilder("kill", "-KILL", payload).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("137 "), Files.readString(dir.resolve("exit")));
        assertEquals("", Files.readString(dir.resolve("stderr")));
    }

    @Test
    void aTermToJobShAloneStopsThePayload(@TempDir Path dir) throws Exception {
        // As when a TERM reaches job.sh just before it started the payload: the payload gets none.
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), null), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(), "term");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho up\nexec sleep 299\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        Process p = new ProcessBuilder("setsid", "/bin/bash", dir.resolve("job.sh").toString()).start();
        awaitPayloadUp(dir);
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "job.sh waited for its payload after a TERM");
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("143 "));
        String left = "";
        for (int i = 0; i < 50; i++) { // bounded wait for the TERMed payload to be reaped
            left = new String(new ProcessBuilder("pgrep", "-s", String.valueOf(p.pid()), "-f", "sleep 299").start()
                    .getInputStream().readAllBytes()).strip();
            if (left.isEmpty()) break;
            Thread.sleep(100);
        }
        assertEquals("", left, "the payload outlived job.sh");
    }

    @Test
    void aRequeuedJobAppendsItsOutputAndNumbersItsRuns(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of(), null), dir.toString(),
                List.of(), new BatchScript.ShebangPayload(), "requeued");
        Files.writeString(dir.resolve("payload"), "#!/bin/bash\necho \"out $HPC_JOB_RUN\"; echo \"err $HPC_JOB_RUN\" >&2\n"
                + "[ \"$HPC_JOB_RUN\" = 1 ] && exit 143\n[ -e exit ] && echo stale exit marker seen\nexit 0\n");
        dir.resolve("payload").toFile().setExecutable(true);
        Files.writeString(dir.resolve("job.sh"), script);
        for (int run = 1; run <= 2; run++) {
            Process p = run(dir.resolve("job.sh"), Map.of());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(Files.readString(dir.resolve("started")).strip().endsWith(" " + run));
            String[] exit = Files.readString(dir.resolve("exit")).strip().split(" ");
            assertEquals(run == 1 ? "143" : "0", exit[0]);
            assertEquals(String.valueOf(run), exit[3]);
            // Totals over every run: the files are appended to, and the kernel's offsets count from their start.
            assertEquals("stdout=" + (6 * run), exit[4]);
            assertEquals("stderr=" + (6 * run), exit[5]);
        }
        assertEquals("out 1\nout 2\n", Files.readString(dir.resolve("stdout")));
        assertEquals("err 1\nerr 2\n", Files.readString(dir.resolve("stderr")));
    }

    @Test
    void javaPayloadUsesTheRunnerWithItsCdsArchive(@TempDir Path dir) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec(dir, Map.of(), List.of("java/17"), null), "/w",
                List.of(), new BatchScript.JavaPayload("/opt/jdk 17/bin/java", BatchScript.RUNNER_JVM_OPTIONS, "/w/runner/r.jar", "ab".repeat(32),
                "/w/classes/cell-" + "cd".repeat(32) + ".jar", "cd".repeat(32)), "java");
        assertTrue(script.contains("module load java/17"), script);
        assertTrue(script.contains("'/opt/jdk 17/bin/java' \"${hpc_cds[@]}\""), script);
        assertTrue(script.contains("hpc_jsa=/w/runner/r.jsa"), script);
        assertTrue(script.contains("-XX:SharedArchiveFile=\"$hpc_jsa\""), script);
        assertTrue(script.contains("hpc_jar=/w/runner/r.jar"), script);
        assertTrue(script.contains("-jar \"$hpc_jar\" \"$HPC_JOB_DIR\""), script);
        assertTrue(script.contains("!= " + "ab".repeat(32) + " ]"), script);
        assertTrue(script.contains("hpc_cell_jar=/w/classes/cell-" + "cd".repeat(32) + ".jar"), script);
        assertTrue(script.contains("\"$(hpc_sha256 \"$hpc_cell_jar\")\" != " + "cd".repeat(32) + " ]"), script);
        assertTrue(script.indexOf("hpc_cell_jar\")\" != ") < script.indexOf("-jar \"$hpc_jar\""), "checked before the runner starts");
        assertFalse(script.contains("HPC_OUTPUTS"), "a Java cell's outputs go through the runner");
    }

    @Test
    void localRefusesWhatItCannotExpress(@TempDir Path dir) {
        JobSpec withPartition = JobSpec.builder().jobName("n").cluster("c").jobDir(dir.toString())
                .partition("debug").build();
        UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class,
                () -> BatchScript.render(new LocalScheduler(2), withPartition, dir.toString(), List.of(),
                        new BatchScript.ShebangPayload(), "x"));
        assertTrue(e.getMessage().contains("local cannot express --partition"), e.getMessage());
    }
}
