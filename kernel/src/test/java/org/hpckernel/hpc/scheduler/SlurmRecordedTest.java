package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SlurmScheduler against what a real Slurm 22.05.8 printed (src/test/resources/slurm/*.txt,
 * recorded by capture.sh there on the cluster of scripts/cluster/slurm-up.sh).
 */
class SlurmRecordedTest {
    private final SlurmScheduler slurm = new SlurmScheduler();

    static CommandResult load(String name) {
        return RecordedCommands.load("slurm", name);
    }

    static String resource(String file) {
        return RecordedCommands.resource("slurm", file);
    }

    /** The ids after -j in a recorded squeue/sacct argv. */
    static List<String> ids(CommandResult r) {
        int j = r.argv().indexOf("-j");
        return Arrays.asList(r.argv().get(j + 1).split(","));
    }

    static String script(CommandResult r) {
        return r.argv().get(r.argv().size() - 1);
    }

    static JobSpec spec(String partition, Duration time, String nodes, Integer ntasks, Integer cpus, Long mem,
            String gpus, String account, String qos, String array) {
        return JobSpec.builder().jobName("hk-cap").cluster("test").jobDir("/tmp/j").partition(partition).time(time)
                .nodes(nodes).ntasks(ntasks).cpusPerTask(cpus).memMegabytes(mem).gpus(gpus).account(account)
                .qos(qos).array(array).build();
    }

    // ------------------------------------------------------------------ the recorded argv is ours

    @ParameterizedTest
    @ValueSource(strings = {"status-just-submitted", "status-running", "status-completed", "status-failed",
        "status-killed", "status-cancelled", "status-cancelled-pending", "status-timeout", "status-pending-held",
        "status-resources", "status-array-held", "status-array-running", "status-array-final",
        "status-array-task-own-id", "status-unknown-one", "status-unknown-many", "status-several",
        "status-unreachable"})
    void statusFilesWereRecordedWithOurArgv(String name) {
        CommandResult r = load(name);
        assertEquals(slurm.statusCommand(ids(r)), r.argv());
    }

    @ParameterizedTest
    @ValueSource(strings = {"acct-completed", "acct-failed", "acct-killed", "acct-cancelled", "acct-cancelled-pending",
        "acct-mem", "acct-array", "acct-timeout", "acct-unknown", "acct-disabled"})
    void accountingFilesWereRecordedWithOurArgv(String name) {
        CommandResult r = load(name);
        assertEquals(slurm.accountingCommand(ids(r).get(0)).orElseThrow(), r.argv());
    }

    @Test
    void otherFilesWereRecordedWithOurArgv() {
        assertEquals(slurm.findByNameCommand("hk-cap-fail"), load("find-by-name").argv());
        assertEquals(slurm.cancelCommand("99999"), load("cancel-unknown").argv());
        CommandResult ok = load("submit-ok");
        assertEquals(slurm.submitCommand(spec(null, null, null, null, null, null, null, null, null, null), script(ok)),
                ok.argv());
        assertEquals(slurm.versionCommands(), List.of(load("version-sbatch").argv(), load("version-squeue").argv()));
    }

    // ------------------------------------------------------------------ submit

    @Test
    void submissions() throws Exception {
        assertEquals("14", slurm.parseJobId(load("submit-ok"), null));
        assertEquals("23", slurm.parseJobId(load("submit-array"), null));
        // no AccountingStorageEnforce: unknown accounts and QOS are accepted
        assertEquals("12", slurm.parseJobId(load("submit-bad-account"), null));
        assertEquals("13", slurm.parseJobId(load("submit-bad-qos"), null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "submit-bad-partition; --partition debugx",
        "submit-bad-nodes; --nodes 2",
        "submit-bad-cpus; --cpus-per-task 3",
        "submit-bad-ntasks; --ntasks 3",
        "submit-bad-time; --time 02:00:00",
        "submit-bad-mem; --mem 102400M",
        "submit-bad-gpus; --gpus 1",
        "submit-bad-array; --array x-y",
    })
    void refusalsQuoteSbatchAndNameTheOption(String name, String hint) {
        CommandResult r = load(name);
        Map<String, JobSpec> specs = new LinkedHashMap<>();
        specs.put("submit-bad-partition", spec("debugx", null, null, null, null, null, null, null, null, null));
        specs.put("submit-bad-nodes", spec(null, null, "2", null, null, null, null, null, null, null));
        specs.put("submit-bad-cpus", spec(null, null, null, null, 3, null, null, null, null, null));
        specs.put("submit-bad-ntasks", spec(null, null, null, 3, null, null, null, null, null, null));
        specs.put("submit-bad-time", spec("debug", Duration.ofHours(2), null, null, null, null, null, null, null, null));
        specs.put("submit-bad-mem", spec(null, null, null, null, null, 102400L, null, null, null, null));
        specs.put("submit-bad-gpus", spec(null, null, null, null, null, null, "1", null, null, null));
        specs.put("submit-bad-array", spec(null, null, null, null, null, null, null, null, null, "x-y"));
        JobSpec spec = specs.get(name);
        // the directives we render for that spec are the ones the recorded script carried
        String recorded = "#SBATCH " + hint.replaceFirst(" ", "=");
        assertTrue(assertDoesNotThrow(() -> slurm.directives(spec)).contains(recorded), recorded);

        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, spec));
        assertEquals(r.stderr().strip() + " (from " + hint + ")", e.getMessage());
        assertFalse(e.isTransient());
        assertFalse(slurm.isTransient(r));
    }

    @Test
    void refusalsWithoutAKnownOption() {
        CommandResult r = load("submit-no-shebang");
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, null));
        assertEquals("sbatch: error: This does not look like a batch script.  The first\n"
                + "sbatch: error: line must start with #! followed by the path to an interpreter.\n"
                + "sbatch: error: For instance: #!/bin/sh", e.getMessage());
        assertFalse(e.isTransient());
        // --time=abc never comes from us (we render HH:MM:SS), but sbatch's words still point at it
        SchedulerException t = assertThrows(SchedulerException.class,
                () -> slurm.parseJobId(load("submit-bad-time-syntax"), null));
        assertEquals("sbatch: error: Invalid --time specification (from --time)", t.getMessage());
    }

    @Test
    void anUnreachableControllerIsTransient() {
        CommandResult r = load("submit-unreachable");
        assertTrue(slurm.isTransient(r));
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, null));
        assertTrue(e.isTransient());
        assertEquals("sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)",
                e.getMessage());
        SchedulerException s = assertThrows(SchedulerException.class,
                () -> slurm.parseStatus(load("status-unreachable"), List.of("1")));
        assertTrue(s.isTransient());
        assertEquals("slurm_load_jobs error: Unable to contact slurm controller (connect failure)", s.getMessage());
    }

    // ------------------------------------------------------------------ status, one job each

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "status-just-submitted; RUNNING; -; vm",
        "status-running; RUNNING; -; vm",
        "status-completed; COMPLETED; -; vm",
        "status-failed; FAILED; NonZeroExitCode; vm",
        "status-killed; FAILED; JobLaunchFailure; vm",       // kill -9 $$ in the script
        "status-cancelled; CANCELLED; -; vm",
        "status-cancelled-pending; CANCELLED; JobHeldUser; -",
        "status-timeout; TIMEOUT; TimeLimit; vm",
        "status-pending-held; PENDING; JobHeldUser; -",
    })
    void statusOfOneJob(String name, JobState state, String reason, String node) throws Exception {
        CommandResult r = load(name);
        String id = ids(r).get(0);
        Map<String, JobStatus> s = slurm.parseStatus(r, List.of(id));
        assertEquals(Map.of(id, new JobStatus(state, reason, node, null)), s);
    }

    @Test
    void pendingForResourcesAndPriority() throws Exception {
        CommandResult r = load("status-resources");
        Map<String, JobStatus> s = slurm.parseStatus(r, ids(r));
        assertEquals(new JobStatus(JobState.RUNNING, null, "vm", null), s.get("20"));
        assertEquals(new JobStatus(JobState.PENDING, "Resources", null, null), s.get("21"));
        assertEquals(new JobStatus(JobState.PENDING, "Priority", null, null), s.get("22"));
    }

    @Test
    void unknownIdsAreMissingNotErrors() throws Exception {
        CommandResult one = load("status-unknown-one");
        assertEquals(1, one.exitCode());
        assertEquals(Map.of(), slurm.parseStatus(one, ids(one)));
        assertEquals(Map.of(), slurm.taskStates(one));
        CommandResult many = load("status-unknown-many");
        assertEquals(Map.of(), slurm.parseStatus(many, ids(many)));
    }

    @Test
    void severalJobsInOneCall() throws Exception {
        CommandResult r = load("status-several");
        Map<String, JobStatus> s = slurm.parseStatus(r, ids(r));
        assertEquals(JobState.COMPLETED, s.get("14").state());
        assertEquals(JobState.FAILED, s.get("15").state());
        assertEquals(JobState.CANCELLED, s.get("19").state());
        assertEquals(JobState.FAILED, s.get("23").state()); // the array, task 3 failed
        assertFalse(s.containsKey("99999"));
        assertEquals(Set.of("19", "14", "23", "15"), s.keySet());
    }

    // ------------------------------------------------------------------ arrays

    @Test
    void heldArray() throws Exception {
        for (String name : List.of("status-array-held", "status-array-held-collapsed")) {
            CommandResult r = load(name);
            assertEquals(Map.of("23", new JobStatus(JobState.PENDING, "JobHeldUser", null, null)),
                    slurm.parseStatus(r, List.of("23")), name);
            assertEquals(Map.of("23_1", JobState.PENDING, "23_2", JobState.PENDING, "23_3", JobState.PENDING,
                    "23_4", JobState.PENDING), slurm.taskStates(r), name);
        }
    }

    @Test
    void runningArray() throws Exception {
        for (String name : List.of("status-array-running", "status-array-running-collapsed")) {
            CommandResult r = load(name);
            JobStatus s = slurm.parseStatus(r, List.of("23")).get("23");
            assertEquals(new JobStatus(JobState.RUNNING, null, "vm", null), s, name);
            Map<String, JobState> tasks = slurm.taskStates(r);
            assertEquals(JobState.RUNNING, tasks.get("23_2"), name);
            assertEquals(JobState.PENDING, tasks.get("23_3"), name);
            assertEquals(JobState.PENDING, tasks.get("23_4"), name);
        }
    }

    @Test
    void finishedArrayWithOneFailedTask() throws Exception {
        CommandResult r = load("status-array-final");
        assertEquals(Map.of("23", new JobStatus(JobState.FAILED, "NonZeroExitCode", "vm", null)),
                slurm.parseStatus(r, List.of("23")));
        assertEquals(Map.of("23_1", JobState.COMPLETED, "23_2", JobState.COMPLETED, "23_3", JobState.FAILED,
                "23_4", JobState.COMPLETED), slurm.taskStates(r));
    }

    @Test
    void aTaskAskedForByItsOwnJobId() throws Exception {
        CommandResult r = load("status-array-task-own-id"); // squeue -j 25 prints 23_2|25|...
        Map<String, JobStatus> s = slurm.parseStatus(r, List.of("25"));
        assertEquals(JobState.COMPLETED, s.get("25").state());
        assertEquals(JobState.COMPLETED, s.get("23").state());
    }

    @Test
    void theJobIdVariableIsTheSubmittedIdInEveryTask() {
        // the capture's scripts echo HPC_JOB_ID=<jobIdVariable()> HPC_ARRAY_INDEX=<arrayIndexVariable()>
        String capture = resource("capture.sh");
        assertTrue(capture.contains("HPC_JOB_ID=" + slurm.jobIdVariable() + " HPC_ARRAY_INDEX="
                + slurm.arrayIndexVariable() + " "), "capture.sh uses other variables than SlurmScheduler");
        for (int i = 1; i <= 4; i++) {
            assertTrue(resource("array-task-" + i + ".out").startsWith("HPC_JOB_ID=23 HPC_ARRAY_INDEX=" + i + " "));
        }
        assertTrue(resource("job-output.out").startsWith("HPC_JOB_ID=14 HPC_ARRAY_INDEX= SLURM_JOB_ID=14"));
    }

    // ------------------------------------------------------------------ accounting

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        // name; state; exit; signal; elapsed ms; cpu ms; max rss bytes; node
        "acct-completed; COMPLETED; 0; 0; 2000; 2; 4780032; vm",
        "acct-failed; FAILED; 3; 0; 1000; 1; 4902912; vm",
        "acct-killed; FAILED; 0; 9; 1000; 1; 4849664; vm",
        "acct-cancelled; CANCELLED; 0; 15; 0; 1; -; vm",
        "acct-cancelled-pending; CANCELLED; 0; 0; 0; 0; -; -",
        "acct-mem; COMPLETED; 0; 0; 3000; 98; 174170112; vm",
        "acct-timeout; TIMEOUT; 0; 15; 79000; 1; 4792320; vm",
        "acct-array; FAILED; 5; 0; 2000; 8; 4931584; vm",
    })
    void accounting(String name, JobState state, Integer exit, Integer signal, long elapsedMs, long cpuMs,
            String rss, String node) {
        CommandResult r = load(name);
        Long bytes = rss == null ? null : Long.valueOf(rss);
        assertEquals(Optional.of(new JobAccounting(state, exit, signal, Duration.ofMillis(elapsedMs),
                Duration.ofMillis(cpuMs), bytes, node)), slurm.parseAccounting(r, ids(r).get(0)));
    }

    @Test
    void noAccounting() {
        assertEquals(Optional.empty(), slurm.parseAccounting(load("acct-disabled"), "1"));
        assertEquals(Optional.empty(), slurm.parseAccounting(load("acct-unknown"), "99999"));
    }

    // ------------------------------------------------------------------ find, cancel, versions

    @Test
    void findByName() {
        assertEquals(Optional.of("15"), slurm.parseFindByName(load("find-by-name"), "hk-cap-fail"));
        assertEquals(Optional.empty(), slurm.parseFindByName(load("find-by-name"), "hk-cap"));
        assertEquals(Optional.empty(), slurm.parseFindByName(load("find-by-name-none"), "hk-cap-nosuchname"));
    }

    @Test
    void cancelAndVersions() {
        assertTrue(load("cancel-unknown").ok()); // scancel of an unknown id: no output, exit 0
        assertTrue(load("cancel-running").ok());
        assertEquals("slurm-wlm 22.05.8", load("version-sbatch").stdout().strip());
        assertEquals("slurm-wlm 22.05.8", load("version-squeue").stdout().strip());
    }
}
