package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.BatchScript;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Directives, argv and parsing of LsfScheduler on hand-made input; documented outputs: LsfRecordedTest. */
class LsfSchedulerTest {
    private final LsfScheduler lsf = new LsfScheduler();

    private static OarSchedulerTest.Spec basic() {
        return OarSchedulerTest.Spec.basic();
    }

    static CommandResult result(List<String> argv, int rc, String stdout, String stderr) {
        return new CommandResult(argv, rc, stdout, stderr, false);
    }

    // ------------------------------------------------------------------ directives

    @Test
    void rendersEveryDirective() throws Exception {
        JobSpec spec = basic().partition("normal").time(Duration.ofSeconds(90)).nodes("2").ntasks(4).cpus(3)
                .gpus("a100:2").account("proj1").build();
        assertEquals(List.of(
                "#BSUB -J hk-cell-7",
                "#BSUB -cwd /home/u/.hpc-kernel/jobs/j7",
                "#BSUB -o /home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#BSUB -e /home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#BSUB -q normal",
                "#BSUB -P proj1",
                "#BSUB -W 0:02",
                "#BSUB -n 12",
                "#BSUB -R \"span[ptile=6]\"",
                "#BSUB -gpu \"num=1:gmodel=a100\""), lsf.directives(spec));
    }

    @Test
    void memoryIsALimitAndAReservationWithExplicitUnits() throws Exception {
        assertEquals(List.of(
                "#BSUB -J hk-cell-7",
                "#BSUB -n 4",
                "#BSUB -M 4096MB",
                "#BSUB -R \"span[hosts=1] rusage[mem=4096MB]\""),
                lsf.directives(basic().jobDir(null).cpus(4).mem(4096L).build()));
        assertEquals(List.of("#BSUB -J hk-cell-7", "#BSUB -M 512MB", "#BSUB -R \"rusage[mem=512MB]\""),
                lsf.directives(basic().jobDir(null).mem(512L).build()));
    }

    @Test
    void rendersOnlyWhatWasAsked() throws Exception {
        assertEquals(List.of(
                "#BSUB -J hk-cell-7",
                "#BSUB -cwd /home/u/.hpc-kernel/jobs/j7",
                "#BSUB -o /home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#BSUB -e /home/u/.hpc-kernel/jobs/j7/scheduler.out"), lsf.directives(basic().build()));
    }

    @Test
    void anArrayKeepsItsIndicesAndThrottle() throws Exception {
        JobSpec spec = basic().jobDir("/scratch/j8/").array("1-15:2,20%4").time(Duration.ofHours(26)).build();
        assertEquals(List.of(
                "#BSUB -J \"hk-cell-7[1-15:2,20]%4\"",
                "#BSUB -cwd /scratch/j8",
                "#BSUB -o /scratch/j8/scheduler.%I.out",
                "#BSUB -e /scratch/j8/scheduler.%I.out",
                "#BSUB -W 26:00"), lsf.directives(spec));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // nodes | ntasks | cpus | -n | span
            "      |        | 4    | 4  | span[hosts=1]",
            "      | 1      |      | 1  | ",
            "      | 8      |      | 8  | ",
            "      | 2      | 3    | 6  | span[hosts=1]",
            "2     |        |      | 2  | span[ptile=1]",
            "2     |        | 4    | 8  | span[ptile=4]",
            "2     | 4      |      | 4  | span[ptile=2]",
            "3-3   | 6      | 2    | 12 | span[ptile=4]"})
    void slots(String nodes, Integer ntasks, Integer cpus, long n, String span) throws Exception {
        LsfScheduler.Slots s = LsfScheduler.slots(basic().nodes(nodes).ntasks(ntasks).cpus(cpus).build());
        assertEquals(n, s.count());
        assertEquals(span, s.span());
    }

    @ParameterizedTest
    @CsvSource({"1,0:01", "60,0:01", "61,0:02", "3600,1:00", "5400,1:30", "360000,100:00"})
    void runLimitsInWholeMinutesRoundedUp(long seconds, String want) {
        assertEquals(want, LsfScheduler.runLimit(Duration.ofSeconds(seconds)));
    }

    @Test
    void refusesWhatLsfCannotExpressNamingLsf() {
        record Case(OarSchedulerTest.Spec spec, String message) {}
        for (Case c : List.of(
                new Case(basic().qos("high"), "lsf cannot express --qos high: LSF has no quality of service"),
                new Case(basic().array("0-15"), "lsf cannot express --array 0-15: LSF array indices start at 1 "
                        + "(index 0 cannot be run); shift the range, e.g. 1-16"),
                new Case(basic().array("0,2,4-8:2%3"), "lsf cannot express --array 0,2,4-8:2%3: LSF array indices start at 1 "
                        + "(index 0 cannot be run); shift the range, e.g. 1,3,5-9:2%3"),
                new Case(basic().nodes("2-4"), "lsf cannot express --nodes 2-4"),
                new Case(basic().nodes("2").ntasks(3), "lsf cannot express --nodes 2 with 3 tasks × 1 cpus"),
                new Case(basic().nodes("2").mem(1024L), "lsf cannot express --mem 1024M with --nodes 2"),
                new Case(basic().nodes("2").gpus("3"), "lsf cannot express --gpus 3 over 2 hosts"))) {
            UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class,
                    () -> lsf.directives(c.spec().build()), c.toString());
            assertTrue(e.getMessage().startsWith(c.message()), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\nb", "x;rm -rf ~", "$(id)", "`id`", "a'b", "a\"b", "a#b", "a\\b", "a[1]", "a*",
            "", "-q"})
    void rejectsInjectionInEveryStringValue(String bad) {
        assertThrows(IllegalArgumentException.class, () -> lsf.directives(basic().jobName(bad).build()));
        assertThrows(IllegalArgumentException.class, () -> lsf.directives(basic().partition(bad).build()));
        assertThrows(IllegalArgumentException.class, () -> lsf.directives(basic().account(bad).build()));
        assertThrows(IllegalArgumentException.class, () -> lsf.findByNameCommand(bad));
        if (!bad.isEmpty() && !bad.equals("-q")) {
            assertThrows(IllegalArgumentException.class, () -> lsf.directives(basic().jobDir("/home/" + bad).build()));
            assertThrows(IllegalArgumentException.class, () -> lsf.submitCommand(basic().build(), "/h/" + bad + "/job.sh"));
        }
    }

    // ------------------------------------------------------------------ inside the job

    @Test
    void theIndexIsEmptyForAPlainJob() throws Exception {
        String script = "export HPC_JOB_ID=\"" + lsf.jobIdVariable() + "\"; export HPC_ARRAY_INDEX=\""
                + lsf.arrayIndexVariable() + "\"; printf '%s|%s' \"$HPC_JOB_ID\" \"$HPC_ARRAY_INDEX\"";
        assertEquals("77|", bash(script, Map.of("LSB_JOBID", "77", "LSB_JOBINDEX", "0")));
        assertEquals("78|10", bash(script, Map.of("LSB_JOBID", "78", "LSB_JOBINDEX", "10")));
        assertEquals("78|1", bash(script, Map.of("LSB_JOBID", "78", "LSB_JOBINDEX", "1")));
        assertEquals("79|", bash(script, Map.of("LSB_JOBID", "79")));
    }

    private static String bash(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", script).redirectErrorStream(true);
        pb.environment().remove("LSB_JOBINDEX");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void theRenderedScriptStartsWithTheDirectives() throws Exception {
        JobSpec spec = basic().array("1-4").build();
        String script = BatchScript.render(lsf, spec, "/home/u/.hpc-kernel", List.of(), new BatchScript.ShebangPayload(),
                "test");
        assertTrue(script.startsWith("#!/bin/bash\n#BSUB -J \"hk-cell-7[1-4]\"\n#BSUB -cwd "), script);
        assertTrue(script.contains("export HPC_ARRAY_INDEX=\"${LSB_JOBINDEX#0}\""), script);
    }

    /**
     * The submit argv with a stand-in bsub on PATH that records its standard input: the script
     * reaches bsub on stdin (so its #BSUB lines count), and nothing of the path is read as shell.
     */
    @Test
    void theScriptReachesBsubOnStandardInput(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("bsub");
        Files.writeString(fake, "#!/bin/sh\n[ $# -eq 0 ] || { echo \"unexpected args: $*\" >&2; exit 2; }\n"
                + "cat > \"$CAPTURE\"\necho 'Job <4242> is submitted to default queue <normal>.'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path jobDir = Files.createDirectories(dir.resolve("jobs/j-1+x"));
        JobSpec spec = JobSpec.builder().jobName("hk-stdin").cluster("t").jobDir(jobDir.toString())
                .time(Duration.ofMinutes(3)).build();
        String script = "#!/bin/bash\n" + String.join("\n", lsf.directives(spec)) + "\necho hi\n";
        Path scriptPath = jobDir.resolve("job.sh");
        Files.writeString(scriptPath, script);

        List<String> argv = lsf.submitCommand(spec, scriptPath.toString());
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(false);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("CAPTURE", dir.resolve("stdin").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        CommandResult r = new CommandResult(argv, p.exitValue(), out, err, false);
        assertEquals("4242", lsf.parseJobId(r, spec), r.output());
        assertEquals(script, Files.readString(dir.resolve("stdin")));
        assertTrue(script.contains("#BSUB -W 0:03\n"));
    }

    // ------------------------------------------------------------------ argv

    @Test
    void buildsArgvLists() {
        assertEquals(List.of("/bin/sh", "-c", "exec bsub < \"$1\"", "bsub", "/s/job.sh"),
                lsf.submitCommand(basic().build(), "/s/job.sh"));
        assertEquals(List.of("bjobs", "-a", "-o", LsfScheduler.STATUS_FIELDS, "-json", "12", "15"),
                lsf.statusCommand(List.of("12", "15", "12")));
        assertEquals(List.of("bkill", "12"), lsf.cancelCommand("12"));
        assertEquals(Optional.of(List.of("bjobs", "-a", "-o", LsfScheduler.ACCOUNTING_FIELDS, "-json", "12")),
                lsf.accountingCommand("12"));
        assertEquals(List.of("bjobs", "-a", "-J", "hk-cell-7", "-o", "jobid job_name", "-json"),
                lsf.findByNameCommand("hk-cell-7"));
        assertEquals(List.of(List.of("bsub", "-V"), List.of("bjobs", "-V")), lsf.versionCommands());
        assertEquals("lsf", lsf.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-5", "12[1]", "12 13", "12;", "abc"})
    void rejectsAnythingButJobIds(String bad) {
        assertThrows(IllegalArgumentException.class, () -> lsf.statusCommand(List.of(bad)));
        assertThrows(IllegalArgumentException.class, () -> lsf.cancelCommand(bad));
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void submitOutputs() throws Exception {
        JobSpec spec = basic().build();
        List<String> argv = lsf.submitCommand(spec, "/x/job.sh");
        assertEquals("7", lsf.parseJobId(result(argv, 0, "Job <7> is submitted to queue <short>.\n", ""), spec));
        assertThrows(SchedulerException.class, () -> lsf.parseJobId(result(argv, 0, "Job <x> is submitted", ""), spec));
        assertThrows(SchedulerException.class, () -> lsf.parseJobId(result(argv, 0, "", ""), spec));
        SchedulerException t = assertThrows(SchedulerException.class,
                () -> lsf.parseJobId(new CommandResult(argv, -1, "", "", true), spec));
        assertTrue(t.isTransient());
        assertTrue(t.getMessage().contains("may have been submitted anyway"));
    }

    @Test
    void jobIdsWithAnIndexAndStrayRecords() throws Exception {
        String json = "{\"COMMAND\":\"bjobs\",\"JOBS\":3,\"RECORDS\":[{\"JOBID\":\"50[1]\",\"STAT\":\"DONE\"},"
                + "{\"JOBID\":\"50[2]\",\"STAT\":\"RUN\",\"EXEC_HOST\":\"h1\"},{\"NOJOBID\":\"x\"},\"junk\"]}";
        CommandResult r = result(List.of("bjobs"), 0, json, "");
        assertEquals(Map.of("50", new JobStatus(JobState.RUNNING, null, "h1", null)), lsf.parseStatus(r, List.of("50")));
        assertEquals(Map.of(1, JobState.COMPLETED, 2, JobState.RUNNING), lsf.elementStates(r, "50"));
    }

    @Test
    void garbageIsAnError() {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> lsf.parseStatus(result(List.of("bjobs"), 0, "{not json", ""), List.of("1")));
        assertFalse(e.isTransient());
        assertThrows(SchedulerException.class,
                () -> lsf.parseStatus(result(List.of("bjobs"), 255, "", "exit_reason: Illegal field name"), List.of("1")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "EXIT | TERM_RUNLIMIT: job killed after reaching LSF run time limit | TIMEOUT",
            "EXIT | TERM_DEADLINE: job killed after deadline expires | TIMEOUT",
            "EXIT | TERM_CPULIMIT: job killed after reaching LSF CPU usage limit | TIMEOUT",
            "EXIT | TERM_MEMLIMIT: job killed after reaching LSF memory usage limit | OUT_OF_MEMORY",
            "EXIT | TERM_SWAP: job killed after reaching LSF swap usage limit | OUT_OF_MEMORY",
            "EXIT | TERM_OWNER: job killed by owner | CANCELLED",
            "EXIT | TERM_FORCE_OWNER: job killed by owner without time for cleanup | CANCELLED",
            "EXIT | TERM_ADMIN: job killed by root or LSF administrator | CANCELLED",
            "EXIT | TERM_PREEMPT: job killed after preemption | CANCELLED",
            "EXIT | TERM_ZOMBIE: job exited while LSF is not available | NODE_FAIL",
            "EXIT | TERM_CWD_NOTEXIST: current working directory is not accessible | FAILED",
            "EXIT | TERM_EXTERNAL_SIGNAL: job killed by a signal external to LSF | FAILED",
            "EXIT |  | FAILED",
            "DONE |  | COMPLETED",
            "ODD  |  | UNKNOWN"})
    void exitReasons(String stat, String reason, JobState want) {
        assertEquals(want, LsfStates.map(stat, reason));
    }

    @Test
    void units() {
        assertEquals(Duration.ofSeconds(16038), LsfUnits.duration("16038 second(s)"));
        assertEquals(Duration.ofMillis(500), LsfUnits.duration("0.5 second(s)"));
        assertEquals(Duration.ofSeconds(3723), LsfUnits.duration("01:02:03"));
        assertEquals(Duration.ofSeconds(63), LsfUnits.duration("01:03"));
        assertNull(LsfUnits.duration("soon"));
        assertEquals(Math.round(5.2 * 1024 * 1024 * 1024), LsfUnits.bytes("5.2 Gbytes"));
        assertEquals(12L * 1024 * 1024, LsfUnits.bytes("12 Mbytes"));
        assertEquals(100L * 1024, LsfUnits.bytes("100 Kbytes"));
        assertEquals(100L * 1024, LsfUnits.bytes("100"));
        assertNull(LsfUnits.bytes("lots"));
        assertEquals("hostA,hostB", LsfScheduler.host("4*hostA:2*hostB"));
        assertEquals("hostA", LsfScheduler.host("hostA:hostA"));
    }

    @Test
    void hints() {
        JobSpec spec = basic().partition("q1").time(Duration.ofHours(3)).account("p1").array("1-4").gpus("2").build();
        assertEquals("--partition q1", LsfScheduler.hint("q1: No such queue. Job not submitted.", spec));
        assertEquals("--gpus 2", LsfScheduler.hint("Invalid GPU requirement. Job not submitted.", spec));
        assertEquals("--time 3:00", LsfScheduler.hint("Run limit exceeds the queue's limit. Job not submitted.", spec));
        assertEquals("--account p1", LsfScheduler.hint("Bad project name. Job not submitted.", spec));
        assertEquals("--array 1-4", LsfScheduler.hint("Bad job array index list. Job not submitted.", spec));
        assertNull(LsfScheduler.hint("Something else. Job not submitted.", spec));
    }
}
