package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * PbsScheduler (PBS Professional and Torque) against outputs built from the PBS documentation and
 * sources (src/test/resources/pbs/README.md says where each comes from; no PBS server was at hand).
 */
class PbsRecordedTest {
    private final PbsScheduler pro = new PbsScheduler(PbsScheduler.Flavor.PRO);
    private final PbsScheduler torque = new PbsScheduler(PbsScheduler.Flavor.TORQUE);

    static CommandResult load(String name) {
        return RecordedCommands.load("pbs", name);
    }

    static String resource(String file) {
        return RecordedCommands.resource("pbs", file);
    }

    /** The job ids at the end of a recorded qstat argv. */
    static List<String> ids(CommandResult r) {
        int first = r.argv().indexOf("-t") + 1;
        return r.argv().subList(first, r.argv().size());
    }

    private static JobSpec spec(String partition, String array) {
        return JobSpec.builder().jobName("cell-3").cluster("c").jobDir("/home/alice/hpc/jobs/j1")
                .partition(partition).array(array).build();
    }

    private PbsScheduler flavorOf(String file) {
        return file.startsWith("pro-") ? pro : torque;
    }

    // ------------------------------------------------------------------ the argv is ours

    @ParameterizedTest
    @ValueSource(strings = {"pro-status-queued", "pro-status-held", "pro-status-running", "pro-status-finished",
        "pro-status-failed", "pro-status-walltime", "pro-status-mem", "pro-status-cancelled",
        "pro-status-cancelled-queued", "pro-status-array-running", "pro-status-array-final", "pro-status-several",
        "pro-status-unknown", "pro-status-unreachable", "torque-status-queued", "torque-status-running",
        "torque-status-completed", "torque-status-failed", "torque-status-walltime", "torque-status-cancelled",
        "torque-status-array", "torque-status-several", "torque-status-unreachable"})
    void statusArgv(String file) {
        CommandResult r = load(file);
        assertEquals(flavorOf(file).statusCommand(ids(r)), r.argv());
    }

    @Test
    void otherArgv() {
        assertEquals(pro.cancelCommand("9999.pbs01"), load("pro-cancel-unknown").argv());
        assertEquals(pro.cancelCommand("1201.pbs01"), load("pro-cancel-ok").argv());
        assertEquals(torque.cancelCommand("9999.torque01.example.org"), load("torque-cancel-unknown").argv());
        assertEquals(pro.versionCommands(), List.of(load("pro-version").argv()));
        assertEquals(torque.versionCommands(), List.of(load("torque-version").argv()));
        CommandResult ok = load("pro-submit-ok");
        assertEquals(pro.submitCommand(spec(null, null), ok.argv().get(1)), ok.argv());
    }

    // ------------------------------------------------------------------ flavor from qstat --version

    @Test
    void flavorFromVersion() {
        assertEquals(Optional.of(PbsScheduler.Flavor.PRO), PbsScheduler.Flavor.fromVersion(load("pro-version")));
        assertEquals(Optional.of(PbsScheduler.Flavor.TORQUE), PbsScheduler.Flavor.fromVersion(load("torque-version")));
        assertEquals(Optional.of(PbsScheduler.Flavor.TORQUE), PbsScheduler.Flavor.fromVersion(
                new CommandResult(List.of("qstat", "--version"), 0, "version: 4.2.10\n", "", false)));
        assertEquals(Optional.empty(), PbsScheduler.Flavor.fromVersion(
                new CommandResult(List.of("qstat", "--version"), 2, "", "qstat: invalid option -- '-'", false)));
    }

    // ------------------------------------------------------------------ submit

    @Test
    void submissions() throws Exception {
        assertEquals("1201.pbs01", pro.parseJobId(load("pro-submit-ok"), null));
        assertEquals("1205[].pbs01", pro.parseJobId(load("pro-submit-array"), null));
        assertEquals("4521.torque01.example.org", torque.parseJobId(load("torque-submit-ok"), null));
        assertEquals("4525[].torque01.example.org", torque.parseJobId(load("torque-submit-array"), null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "pro-submit-bad-queue; qsub: Unknown queue (from --partition nope)",
        "pro-submit-bad-array; qsub: illegal -J value (from --array 1-4)",
        "pro-submit-exceeds; qsub: Job exceeds queue resource limits (from --ntasks 64, --time 100:00:00)",
        "torque-submit-bad-queue; qsub: submit error (Unknown queue MSG=requested queue not found) (from --partition nope)",
    })
    void refusalsQuoteQsubAndNameTheOption(String file, String message) {
        CommandResult r = load(file);
        PbsScheduler pbs = flavorOf(file);
        JobSpec spec = switch (file) {
            case "pro-submit-bad-array" -> spec(null, "1-4");
            case "pro-submit-exceeds" -> JobSpec.builder().jobName("cell-3").cluster("c").jobDir("/w/j")
                    .time(Duration.ofHours(100)).ntasks(64).build();
            default -> spec("nope", null);
        };
        SchedulerException e = assertThrows(SchedulerException.class, () -> pbs.parseJobId(r, spec));
        assertEquals(message, e.getMessage());
        assertFalse(e.isTransient());
        assertFalse(pbs.isTransient(r));
    }

    @Test
    void unreachableServersAreTransient() {
        for (String file : List.of("pro-submit-unreachable", "torque-submit-unreachable")) {
            CommandResult r = load(file);
            PbsScheduler pbs = flavorOf(file);
            assertTrue(pbs.isTransient(r), file);
            SchedulerException e = assertThrows(SchedulerException.class, () -> pbs.parseJobId(r, null));
            assertTrue(e.isTransient(), file);
            assertEquals(r.stderr().strip(), e.getMessage());
        }
        for (String file : List.of("pro-status-unreachable", "torque-status-unreachable")) {
            CommandResult r = load(file);
            SchedulerException e = assertThrows(SchedulerException.class,
                    () -> flavorOf(file).parseStatus(r, ids(r)));
            assertTrue(e.isTransient(), file);
            assertTrue(e.getMessage().contains("cannot connect to server"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ status

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "pro-status-queued; PENDING; Not Running: Insufficient amount of resource: ncpus (R: 1 A: 0 T: 2); -; -",
        "pro-status-held; PENDING; held; -; -",
        "pro-status-running; RUNNING; -; node01; -",
        "pro-status-finished; COMPLETED; -; node01; 0",
        "pro-status-failed; FAILED; exit status 3; node01; 3",
        "pro-status-walltime; TIMEOUT; Exit_status -29 (JOB_EXEC_KILL_WALLTIME: exceeded its walltime); node01; -",
        "pro-status-mem; OUT_OF_MEMORY; Exit_status -27 (JOB_EXEC_KILL_MEM: exceeded its mem); node01; -",
        "pro-status-cancelled; CANCELLED; deleted (qdel); node01; 143",
        "pro-status-cancelled-queued; CANCELLED; deleted before it ran; -; -",
        "pro-status-array-running; RUNNING; -; node01; -",
        "pro-status-array-final; FAILED; exit status 5; node01; 5",
        "torque-status-queued; PENDING; -; -; -",
        "torque-status-running; RUNNING; -; node01; -",
        "torque-status-completed; COMPLETED; -; node01; 0",
        "torque-status-failed; FAILED; exit status 3; node01; 3",
        "torque-status-walltime; TIMEOUT; walltime 00:01:00 exceeded; node01; 143",
        "torque-status-cancelled; CANCELLED; killed by signal 15 (qdel or a limit); node01; 143",
        "torque-status-array; RUNNING; -; node01; -",
    })
    void states(String file, String state, String reason, String node, Integer exit) throws Exception {
        CommandResult r = load(file);
        String id = ids(r).get(0);
        Map<String, JobStatus> all = flavorOf(file).parseStatus(r, List.of(id));
        assertEquals(List.of(id), List.copyOf(all.keySet()), all.toString());
        assertEquals(new JobStatus(JobState.valueOf(state), reason, node, exit), all.get(id));
    }

    @Test
    void manyJobsInOneCallAndUnknownIdsAreMissing() throws Exception {
        for (String file : List.of("pro-status-several", "torque-status-several")) {
            CommandResult r = load(file);
            List<String> ids = ids(r);
            Map<String, JobStatus> all = flavorOf(file).parseStatus(r, ids);
            assertEquals(ids.subList(0, 2), List.copyOf(all.keySet()), file);
            assertEquals(JobState.RUNNING, all.get(ids.get(0)).state());
            assertEquals(JobState.FAILED, all.get(ids.get(1)).state());
        }
        CommandResult unknown = load("pro-status-unknown");
        assertEquals(Map.of(), pro.parseStatus(unknown, ids(unknown)));
    }

    @Test
    void idsMatchWhateverServerFormQstatPrints() throws Exception {
        CommandResult r = load("pro-status-running");
        assertEquals(JobState.RUNNING, pro.parseStatus(r, List.of("1201")).get("1201").state());
        assertEquals(JobState.RUNNING,
                pro.parseStatus(r, List.of("1201.pbs01.example.org")).get("1201.pbs01.example.org").state());
        assertEquals(Map.of(), pro.parseStatus(r, List.of("1201.other")));
        assertEquals(Map.of(), pro.parseStatus(r, List.of("12011.pbs01")));
    }

    @Test
    void subjobs() throws Exception {
        assertEquals(Map.of("1205[].pbs01", JobState.RUNNING, "1205[1].pbs01", JobState.RUNNING,
                "1205[2].pbs01", JobState.RUNNING, "1205[3].pbs01", JobState.PENDING),
                pro.taskStates(load("pro-status-array-running")));
        Map<String, JobState> t = torque.taskStates(load("torque-status-array"));
        assertEquals(JobState.COMPLETED, t.get("4525[1].torque01.example.org"));
        assertEquals(JobState.FAILED, t.get("4525[2].torque01.example.org"));
        assertEquals(JobState.RUNNING, t.get("4525[3].torque01.example.org"));
    }

    @Test
    void anArraysOwnRecordWithoutSubjobs() {
        // PBS Pro's array exit status: 0 all subjobs exited 0, 1 some failed, 2 some were deleted
        PbsQstat.Job parent = new PbsQstat.Job("7[].s", "a", "F", 92, 1, null, null, null, null, null, null, true);
        assertEquals(JobState.FAILED, PbsStates.map(parent, PbsScheduler.Flavor.PRO).state());
        assertEquals(JobState.COMPLETED, PbsStates.map(new PbsQstat.Job("7[].s", "a", "F", 92, 0, null, null, null,
                null, null, null, true), PbsScheduler.Flavor.PRO).state());
        assertEquals(JobState.CANCELLED, PbsStates.map(new PbsQstat.Job("7[].s", "a", "F", 91, 2, null, null, null,
                null, null, null, true), PbsScheduler.Flavor.PRO).state());
    }

    // ------------------------------------------------------------------ accounting

    @Test
    void accounting() {
        JobAccounting done = pro.parseAccounting(load("pro-status-finished"), "1201.pbs01").orElseThrow();
        assertEquals(new JobAccounting(JobState.COMPLETED, 0, null, Duration.ofSeconds(4), Duration.ofSeconds(1),
                5L * 1024 * 1024, "node01"), done);
        JobAccounting cancelled = pro.parseAccounting(load("pro-status-cancelled"), "1204.pbs01").orElseThrow();
        assertEquals(JobState.CANCELLED, cancelled.state());
        assertEquals(143, cancelled.exitCode());
        JobAccounting timeout = pro.parseAccounting(load("pro-status-walltime"), "1203.pbs01").orElseThrow();
        assertEquals(JobState.TIMEOUT, timeout.state());
        assertNull(timeout.exitCode());
        assertEquals(Duration.ofSeconds(65), timeout.elapsed());
        JobAccounting array = pro.parseAccounting(load("pro-status-array-final"), "1205[].pbs01").orElseThrow();
        assertEquals(JobState.FAILED, array.state());
        assertEquals(5, array.exitCode());
        assertEquals(Duration.ofSeconds(3), array.cpuTime()); // summed over the three subjobs
        JobAccounting killed = torque.parseAccounting(load("torque-status-cancelled"), "4524.torque01.example.org")
                .orElseThrow();
        assertEquals(JobState.CANCELLED, killed.state());
        assertEquals(143, killed.exitCode()); // 271 = 256 + SIGTERM, in the shell's words
        assertEquals(15, killed.signal());
        // not over yet, or unknown: nothing
        assertEquals(Optional.empty(), pro.parseAccounting(load("pro-status-running"), "1201.pbs01"));
        assertEquals(Optional.empty(), pro.parseAccounting(load("pro-status-unknown"), "9999.pbs01"));
        assertEquals(Optional.empty(), pro.parseAccounting(load("pro-status-unreachable"), "1201.pbs01"));
    }

    // ------------------------------------------------------------------ find by name, cancel

    @Test
    void findByName() {
        assertEquals(Optional.of("1201.pbs01"), pro.parseFindByName(load("pro-find-by-name"), "cell-3"));
        assertEquals(Optional.empty(), pro.parseFindByName(
                new CommandResult(List.of("/bin/sh"), 0, "", "", false), "cell-3"));
    }

    @Test
    void cancellingAnUnknownJobIsNotTransient() {
        assertFalse(pro.isTransient(load("pro-cancel-unknown")));
        assertFalse(torque.isTransient(load("torque-cancel-unknown")));
        assertTrue(load("pro-cancel-ok").ok());
    }
}
