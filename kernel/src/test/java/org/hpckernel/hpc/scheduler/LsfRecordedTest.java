package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;

/**
 * LsfScheduler against LSF outputs built from the LSF 10.1 documentation and from outputs other
 * projects recorded on real clusters (src/test/resources/lsf/README.md says where each comes from;
 * no LSF server was available).
 */
class LsfRecordedTest {
    private final LsfScheduler lsf = new LsfScheduler();

    static CommandResult load(String name) {
        return RecordedCommands.load("lsf", name, OarRecordedTest::unquote);
    }

    static String resource(String file) {
        return RecordedCommands.resource("lsf", file);
    }

    /** The ids at the end of a recorded bjobs argv. */
    static List<String> ids(CommandResult r) {
        int json = r.argv().indexOf("-json");
        return r.argv().subList(json + 1, r.argv().size());
    }

    private static JobSpec spec(String partition, Integer ntasks, Integer cpus, Long mem) {
        return JobSpec.builder().jobName("hk").cluster("test").jobDir("/home/u/.hpc-kernel/jobs/j")
                .partition(partition).time(Duration.ofMinutes(5)).ntasks(ntasks).cpusPerTask(cpus)
                .memMegabytes(mem).build();
    }

    private JobStatus statusOf(String name) throws Exception {
        CommandResult r = load(name);
        assertEquals(lsf.statusCommand(ids(r)), r.argv(), name);
        Map<String, JobStatus> all = lsf.parseStatus(r, ids(r));
        assertEquals(1, all.size(), name + ": " + all);
        return all.get(ids(r).get(0));
    }

    // ------------------------------------------------------------------ the argv in the files is ours

    @Test
    void recordedArgvAreTheOnesWeBuild() {
        for (String name : List.of("submit-default-queue", "submit-queue", "submit-bad-queue", "submit-slow-lsf")) {
            CommandResult r = load(name);
            assertEquals(lsf.submitCommand(spec(null, null, null, null), r.argv().get(4)), r.argv(), name);
        }
        assertEquals(lsf.cancelCommand("1962"), load("cancel-ok").argv());
        assertEquals(lsf.findByNameCommand("hk-cell-7"), load("find-by-name").argv());
        assertEquals(lsf.accountingCommand("22005").orElseThrow(), load("acct-done").argv());
    }

    // ------------------------------------------------------------------ submit

    @Test
    void jobIds() throws Exception {
        assertEquals("1962", lsf.parseJobId(load("submit-default-queue"), null));
        assertEquals("19685597", lsf.parseJobId(load("submit-queue"), null));
        // "Cannot connect to LSF. Please wait ..." before the answer is no failure
        assertEquals("12345678", lsf.parseJobId(load("submit-slow-lsf"), null));
    }

    @Test
    void badQueueNamesTheOption() {
        CommandResult r = load("submit-bad-queue");
        SchedulerException e = assertThrows(SchedulerException.class, () -> lsf.parseJobId(r, null));
        assertEquals("nope: No such queue. Job not submitted. (from --partition nope)", e.getMessage());
        assertFalse(e.isTransient());
        JobSpec spec = spec("nope", null, null, null);
        assertEquals("nope: No such queue. Job not submitted. (from --partition nope)",
                assertThrows(SchedulerException.class, () -> lsf.parseJobId(r, spec)).getMessage());
    }

    @Test
    void otherRefusalsNameTheirOptions() {
        CommandResult procs = load("submit-too-many-processors");
        JobSpec tooMany = spec(null, 64, 4, null);
        assertEquals("Too many processors requested. Job not submitted. (from --ntasks 64, --cpus-per-task 4)",
                assertThrows(SchedulerException.class, () -> lsf.parseJobId(procs, tooMany)).getMessage());
        CommandResult rusage = load("submit-bad-rusage");
        JobSpec mem = spec(null, null, null, 4096L);
        assertEquals("Error in rusage section. Job not submitted. (from --mem 4096M)",
                assertThrows(SchedulerException.class, () -> lsf.parseJobId(rusage, mem)).getMessage());
    }

    @Test
    void aRejectedHostIsTransient() {
        CommandResult r = load("submit-non-lsf-host");
        assertTrue(lsf.isTransient(r));
        assertTrue(assertThrows(SchedulerException.class, () -> lsf.parseJobId(r, null)).isTransient());
    }

    // ------------------------------------------------------------------ status

    @Test
    void plainJobs() throws Exception {
        assertEquals(new JobStatus(JobState.PENDING, "New job is waiting for scheduling", null, null),
                statusOf("status-pending"));
        assertEquals(new JobStatus(JobState.RUNNING, null, "hostB", null), statusOf("status-running"));
        assertEquals(new JobStatus(JobState.COMPLETED, null, "hostB", 0), statusOf("status-done"));
        assertEquals(new JobStatus(JobState.FAILED, "exit code 3", "hostB", 3), statusOf("status-exit"));
        assertEquals(new JobStatus(JobState.CANCELLED, "TERM_OWNER", "hostB", null), statusOf("status-killed-by-owner"));
        assertEquals(new JobStatus(JobState.TIMEOUT, "TERM_RUNLIMIT", "hostB", 140), statusOf("status-run-limit"));
        assertEquals(new JobStatus(JobState.OUT_OF_MEMORY, "TERM_MEMLIMIT", "hostB", 137), statusOf("status-mem-limit"));
        assertEquals(new JobStatus(JobState.RUNNING, null, "hostA,hostB", null), statusOf("status-multi-host"));
    }

    @Test
    void everyState() throws Exception {
        CommandResult r = load("status-every-state");
        Map<String, JobStatus> all = lsf.parseStatus(r, ids(r));
        Map<String, String> got = new LinkedHashMap<>();
        for (Map.Entry<String, JobStatus> e : all.entrySet()) {
            got.put(e.getKey(), e.getValue().state() + "/" + e.getValue().reason());
        }
        Map<String, String> want = new LinkedHashMap<>();
        want.put("2001", "PENDING/null");
        want.put("2002", "PENDING/PROV");
        want.put("2003", "PENDING/PSUSP");
        want.put("2004", "PENDING/WAIT");
        want.put("2005", "RUNNING/null");
        want.put("2006", "RUNNING/USUSP");
        want.put("2007", "RUNNING/SSUSP");
        want.put("2008", "COMPLETED/null");
        want.put("2009", "COMPLETED/PDONE");
        want.put("2010", "COMPLETED/PERR");
        want.put("2011", "FAILED/exit code 1");
        want.put("2012", "NODE_FAIL/ZOMBI");
        want.put("2013", "UNKNOWN/UNKWN");
        assertEquals(want, got);
    }

    @Test
    void arrays() throws Exception {
        CommandResult running = load("status-array-running");
        assertEquals(Map.of("3000", new JobStatus(JobState.RUNNING, null, "hostA", null)),
                lsf.parseStatus(running, ids(running)));
        assertEquals(Map.of(1, JobState.COMPLETED, 2, JobState.RUNNING, 3, JobState.PENDING, 4, JobState.PENDING),
                lsf.elementStates(running, "3000"));
        CommandResult fin = load("status-array-final");
        // the whole array reports the exit code of the element whose state it takes (one policy for
        // every scheduler, GridScheduler)
        assertEquals(new JobStatus(JobState.FAILED, "exit code 5", "hostA,hostB", 5),
                lsf.parseStatus(fin, ids(fin)).get("3000"));
    }

    @Test
    void unknownIdsAreLeftOutWhateverTheExitCode() throws Exception {
        for (String name : List.of("status-unknown", "status-unknown-rc0")) {
            CommandResult r = load(name);
            assertEquals(Map.of(), lsf.parseStatus(r, ids(r)), name);
        }
        for (String name : List.of("status-one-unknown", "status-unknown-error-record")) {
            CommandResult r = load(name);
            assertEquals(255, r.exitCode());
            assertEquals(Map.of("1962", new JobStatus(JobState.RUNNING, null, "hostB", null)),
                    lsf.parseStatus(r, ids(r)), name);
        }
    }

    @Test
    void aDaemonThatDoesNotAnswerIsTransient() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> statusOf("status-daemon-down"));
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("Cannot connect to LSF"), e.getMessage());
    }

    // ------------------------------------------------------------------ accounting

    @Test
    void accounting() {
        JobAccounting done = lsf.parseAccounting(load("acct-done"), "22005").orElseThrow();
        assertEquals(new JobAccounting(JobState.COMPLETED, 0, null, Duration.ofSeconds(16038), Duration.ofSeconds(1),
                Math.round(5.2 * 1024 * 1024 * 1024), "tbi-cn019"), done);
        JobAccounting limit = lsf.parseAccounting(load("acct-run-limit"), "1965").orElseThrow();
        assertEquals(JobState.TIMEOUT, limit.state());
        assertEquals(140, limit.exitCode());
        assertEquals(Duration.ofMinutes(58).plusSeconds(40), limit.cpuTime());
        assertEquals(120L * 1024 * 1024, limit.maxMemoryBytes());
        JobAccounting array = lsf.parseAccounting(load("acct-array"), "3000").orElseThrow();
        assertEquals(new JobAccounting(JobState.FAILED, 5, null, Duration.ofSeconds(12), Duration.ofSeconds(5),
                3L * 1024 * 1024, "hostB"), array);
        assertEquals(Optional.empty(), lsf.parseAccounting(load("acct-purged"), "1962"));
    }

    // ------------------------------------------------------------------ cancel, find by name

    @Test
    void cancelOutputs() {
        CommandResult ok = load("cancel-ok");
        assertTrue(ok.ok());
        assertEquals("Job <1962> is being terminated", ok.stdout().strip());
        CommandResult fin = load("cancel-finished");
        assertEquals(255, fin.exitCode());
        assertEquals("Job <1962>: Job has already finished", fin.stderr().strip());
        assertFalse(lsf.isTransient(fin));
    }

    @Test
    void findByName() {
        assertEquals(Optional.of("1962"), lsf.parseFindByName(load("find-by-name"), "hk-cell-7"));
        assertEquals(Optional.of("3000"), lsf.parseFindByName(load("find-by-name-array"), "hk-arr"));
        assertEquals(Optional.empty(), lsf.parseFindByName(load("find-by-name-array"), "hk-ar"));
        assertEquals(Optional.empty(), lsf.parseFindByName(load("find-by-name-none"), "hk-none"));
    }
}
