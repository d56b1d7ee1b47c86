package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SgeScheduler against what a real Grid Engine 8.1.9 printed (src/test/resources/sge/*.txt,
 * recorded by capture.sh there on the cluster of scripts/cluster/sge-up.sh).
 */
class SgeRecordedTest {
    private final SgeScheduler sge = new SgeScheduler("smp");

    static CommandResult load(String name) {
        return RecordedCommands.load("sge", name);
    }

    static String resource(String file) {
        return RecordedCommands.resource("sge", file);
    }

    static String script(CommandResult r) {
        return r.argv().get(r.argv().size() - 1);
    }

    static JobSpec spec(String partition, Duration time, Integer ntasks, Integer cpus, Long mem, String account,
            String array) {
        return JobSpec.builder().jobName("hk-cap").cluster("test").jobDir("/tmp/j").partition(partition).time(time)
                .ntasks(ntasks).cpusPerTask(cpus).memMegabytes(mem).account(account).array(array).build();
    }

    private static JobSpec plain() {
        return spec(null, null, null, null, null, null, null);
    }

    // ------------------------------------------------------------------ the recorded argv is ours

    @ParameterizedTest
    @ValueSource(strings = {"status-just-submitted", "status-running", "status-finished", "status-pending",
        "status-held", "status-several", "status-deleting", "status-array-pending", "status-array-running",
        "status-pe", "status-unreachable"})
    void statusFilesWereRecordedWithOurArgv(String name) {
        assertEquals(sge.statusCommand(List.of("1", "2")), load(name).argv());
    }

    @ParameterizedTest
    @ValueSource(strings = {"acct-completed", "acct-failed", "acct-cancelled", "acct-timeout", "acct-array",
        "acct-pe", "acct-unknown"})
    void accountingFilesWereRecordedWithOurArgv(String name) {
        CommandResult r = load(name);
        assertEquals(sge.accountingCommand(r.argv().get(2)).orElseThrow(), r.argv());
    }

    @Test
    void otherFilesWereRecordedWithOurArgv() {
        assertEquals(sge.findByNameCommand("hk-cap-ok"), load("find-by-name").argv());
        assertEquals(sge.cancelCommand("999999"), load("cancel-unknown").argv());
        assertEquals(sge.cancelCommand("1"), load("cancel-unreachable").argv());
        CommandResult ok = load("submit-ok");
        assertEquals(sge.submitCommand(plain(), script(ok)), ok.argv());
        assertEquals(sge.versionCommands(), List.of(load("version-qstat").argv()));
        assertTrue(load("version-qstat").stdout().startsWith("SGE 8.1.9\n"));
    }

    // ------------------------------------------------------------------ submit

    @Test
    void submissions() throws Exception {
        assertEquals("67", sge.parseJobId(load("submit-ok"), null));
        assertEquals("76", sge.parseJobId(load("submit-array"), null)); // -terse: 76.1-3:1
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "submit-bad-partition; Unable to run job: Job was rejected because job requests unknown queue \"nope\"; --partition nope",
        "submit-bad-account; Unable to run job: job rejected: the requested project \"nosuchproject\" does not exist; --account nosuchproject",
        "submit-bad-pe; Unable to run job: job rejected: the requested parallel environment \"nosuchpe\" does not exist; --cpus-per-task 2",
    })
    void refusalsQuoteQsubAndNameTheOption(String name, String text, String hint) throws Exception {
        CommandResult r = load(name);
        JobSpec spec = switch (name) {
            case "submit-bad-partition" -> spec("nope", null, null, null, null, null, null);
            case "submit-bad-account" -> spec(null, null, null, null, null, "nosuchproject", null);
            default -> spec(null, null, null, 2, null, null, null);
        };
        // the recorded script carried what we render for that spec
        List<String> rendered = (name.equals("submit-bad-pe") ? new SgeScheduler("nosuchpe") : sge).directives(spec);
        String recorded = switch (name) {
            case "submit-bad-partition" -> "#$ -q nope";
            case "submit-bad-account" -> "#$ -P nosuchproject";
            default -> "#$ -pe nosuchpe 2";
        };
        assertTrue(rendered.contains(recorded), rendered.toString());

        SchedulerException e = assertThrows(SchedulerException.class, () -> sge.parseJobId(r, spec));
        assertEquals(text + " (from " + hint + ")", e.getMessage());
        assertFalse(e.isTransient());
        assertFalse(sge.isTransient(r));
    }

    @Test
    void aRefusalWithoutTheSpecStillNamesTheOption() {
        CommandResult r = load("submit-bad-partition");
        SchedulerException e = assertThrows(SchedulerException.class, () -> sge.parseJobId(r, null));
        assertEquals("Unable to run job: Job was rejected because job requests unknown queue \"nope\" (from --partition nope)",
                e.getMessage());
    }

    @Test
    void anUnreachableQmasterIsTransient() {
        CommandResult r = load("submit-unreachable");
        assertTrue(sge.isTransient(r));
        SchedulerException e = assertThrows(SchedulerException.class, () -> sge.parseJobId(r, null));
        assertTrue(e.isTransient());
        assertEquals("error: commlib error: got select error (Connection refused)\n"
                + "Unable to run job: unable to send message to qmaster using port 6444 on host \"vm\": got send error",
                e.getMessage());
        SchedulerException s = assertThrows(SchedulerException.class,
                () -> sge.parseStatus(load("status-unreachable"), List.of("1")));
        assertTrue(s.isTransient());
        assertTrue(s.getMessage().contains("unable to send message to qmaster"), s.getMessage());
        assertTrue(sge.isTransient(load("cancel-unreachable")));
        assertFalse(sge.isTransient(load("cancel-unknown")));
    }

    // ------------------------------------------------------------------ status

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "status-just-submitted; 67; RUNNING; -; vm",
        "status-running; 67; RUNNING; -; vm",
        "status-pending; 68; PENDING; -; -",
        "status-held; 70; PENDING; held (hqw); -",
        "status-several; 71; FAILED; error state (Eqw): qstat -j 71 shows why, qmod -cj 71 clears it; -",
        "status-several; 72; RUNNING; suspended (s); vm",
        "status-deleting; 74; RUNNING; being deleted (dr); vm",
        "status-array-pending; 75; PENDING; held (hqw); -",
        "status-array-running; 76; RUNNING; -; vm",
        "status-pe; 78; RUNNING; -; vm",
    })
    void states(String file, String id, String state, String reason, String node) throws Exception {
        Map<String, JobStatus> all = sge.parseStatus(load(file), List.of(id));
        JobStatus s = all.get(id);
        assertNotNull(s, file + " " + all);
        assertEquals(JobState.valueOf(state), s.state());
        assertEquals(reason, s.reason());
        assertEquals(node, s.node());
        assertEquals(Map.of(id, s), all, "only the jobs asked for");
    }

    @Test
    void aFinishedJobIsNoLongerListed() throws Exception {
        assertEquals(Map.of(), sge.parseStatus(load("status-finished"), List.of("67")));
        assertEquals(Map.of(), sge.parseStatus(load("status-running"), List.of("66", "68")));
    }

    @Test
    void manyJobsInOneCall() throws Exception {
        Map<String, JobStatus> all = sge.parseStatus(load("status-several"), List.of("70", "71", "72", "73"));
        assertEquals(List.of("70", "71", "72"), List.copyOf(all.keySet()));
        assertEquals(JobState.PENDING, all.get("70").state());
        assertEquals(JobState.FAILED, all.get("71").state());
        assertEquals(JobState.RUNNING, all.get("72").state());
    }

    @Test
    void arrayTasks() throws Exception {
        assertEquals(Map.of("71", JobState.FAILED, "70", JobState.PENDING, "75.1", JobState.PENDING,
                "75.2", JobState.PENDING, "75.3", JobState.PENDING), sge.taskStates(load("status-array-pending")));
        Map<String, JobState> running = sge.taskStates(load("status-array-running"));
        assertEquals(JobState.RUNNING, running.get("76.1"));
        assertEquals(JobState.RUNNING, running.get("76.2")); // "t": being started
        assertEquals(JobState.RUNNING, running.get("76.3"));
    }

    // ------------------------------------------------------------------ accounting

    @Test
    void accountingOfACompletedJob() {
        JobAccounting a = sge.parseAccounting(load("acct-completed"), "67").orElseThrow();
        assertEquals(new JobAccounting(JobState.COMPLETED, 0, null, Duration.ofSeconds(4), Duration.ofMillis(60),
                5_337_252L, "vm"), a);
    }

    @Test
    void accountingOfAFailedJob() {
        JobAccounting a = sge.parseAccounting(load("acct-failed"), "69").orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(3, a.exitCode());
        assertNull(a.signal());
    }

    @Test
    void accountingOfACancelledRunningJob() {
        // qdel kills with SIGKILL: failed 100 : assumedly after job, exit_status 137
        JobAccounting a = sge.parseAccounting(load("acct-cancelled"), "74").orElseThrow();
        assertEquals(JobState.CANCELLED, a.state());
        assertEquals(137, a.exitCode());
        assertEquals(9, a.signal());
    }

    @Test
    void accountingOfAJobOverItsTimeLimit() {
        // failed 37 : qmaster enforced h_rt, h_cpu, or h_vmem limit; category -l h_rt=3
        JobAccounting a = sge.parseAccounting(load("acct-timeout"), "77").orElseThrow();
        assertEquals(JobState.TIMEOUT, a.state());
        assertEquals(137, a.exitCode());
        assertEquals(9, a.signal());
        assertTrue(a.elapsed().getSeconds() >= 3, a.elapsed().toString());
    }

    @Test
    void accountingOfAnArrayWithOneFailingTask() {
        JobAccounting a = sge.parseAccounting(load("acct-array"), "76").orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(5, a.exitCode());
        assertEquals(Duration.ofSeconds(4), a.elapsed()); // the longest task
        assertEquals(Duration.ofMillis(62 + 67 + 78), a.cpuTime()); // summed
        assertEquals("vm", a.node());
        assertEquals(3, SgeAccounting.tasks(load("acct-array").stdout(), "76").size());
    }

    @Test
    void accountingOfATwoSlotJob() {
        JobAccounting a = sge.parseAccounting(load("acct-pe"), "78").orElseThrow();
        assertEquals(JobState.COMPLETED, a.state());
        assertEquals(0, a.exitCode());
    }

    @Test
    void noAccountingForAJobDeletedBeforeItRan() {
        assertEquals(Optional.empty(), sge.parseAccounting(load("acct-unknown"), "73"));
    }

    // ------------------------------------------------------------------ find by name

    @Test
    void findByName() {
        CommandResult r = load("find-by-name");
        assertEquals(Optional.of("67"), sge.parseFindByName(r, "hk-cap-ok"));
        assertEquals(Optional.empty(), sge.parseFindByName(r, "hk-cap"));
        assertEquals(Optional.empty(), sge.parseFindByName(load("status-finished"), "hk-cap-ok"));
        assertEquals(Optional.empty(), sge.parseFindByName(load("status-unreachable"), "hk-cap-ok"));
    }
}
