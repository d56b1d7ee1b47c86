package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OarScheduler against what a real OAR 2.5.9 printed (src/test/resources/oar/*.txt, recorded by
 * capture.sh there on the cluster of scripts/cluster/oar-up.sh, as the plain user hpcuser).
 */
class OarRecordedTest {
    private final OarScheduler oar = new OarScheduler();

    static CommandResult load(String name) {
        return RecordedCommands.load("oar", name, OarRecordedTest::unquote);
    }

    static String resource(String file) {
        return RecordedCommands.resource("oar", file);
    }

    /** Words as bash's printf %q writes them (backslash escapes, no quotes). */
    static List<String> unquote(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                any = true;
            } else if (c == ' ') {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }


    private static final Pattern IN = Pattern.compile("array_id IN \\(([0-9,]+)\\)");

    /** The ids of a recorded status argv (inside "array_id IN (..)"). */
    static List<String> ids(CommandResult r) {
        Matcher m = IN.matcher(String.join(" ", r.argv()));
        assertTrue(m.find(), r.argv().toString());
        return List.of(m.group(1).split(","));
    }

    private static String script(CommandResult r) {
        return r.argv().get(r.argv().size() - 1);
    }

    private static JobSpec spec(String partition, String nodes, Integer cpus) {
        return JobSpec.builder().jobName("hk-cap").cluster("test").jobDir("/tmp/x").partition(partition)
                .time(Duration.ofMinutes(2)).nodes(nodes).cpusPerTask(cpus).build();
    }

    private JobStatus statusOf(String name) throws Exception {
        CommandResult r = load(name);
        List<String> ids = ids(r);
        Map<String, JobStatus> all = oar.parseStatus(r, ids);
        assertEquals(1, ids.size(), name);
        assertTrue(all.containsKey(ids.get(0)), name + ": " + all);
        return all.get(ids.get(0));
    }

    // ------------------------------------------------------------------ the argv recorded is ours

    @Test
    void theRecordedCommandsAreTheOnesWeBuild() {
        CommandResult status = load("status-several");
        assertEquals(oar.statusCommand(ids(status)), status.argv());
        CommandResult cancel = load("cancel-running");
        assertEquals(oar.cancelCommand(cancel.argv().get(2)), cancel.argv());
        CommandResult find = load("find-by-name");
        assertEquals(oar.findByNameCommand("hk-cap-ok"), find.argv());
        CommandResult submit = load("submit-ok");
        assertEquals(List.of("oarsub", "-S", script(submit)), submit.argv());
        CommandResult array = load("submit-array");
        assertTrue(script(array).endsWith("/array/job.sh 0 1"), array.argv().toString());
        assertEquals(oar.versionCommands(), List.of(load("version-oarsub").argv(), load("version-oarstat").argv()));
    }

    @Test
    void versionsSayOar25() {
        assertEquals("OAR version : 2.5.9 (Canicule)", load("version-oarsub").stdout().strip());
        assertEquals("OAR version : 2.5.9 (Canicule)", load("version-oarstat").stdout().strip());
    }

    // ------------------------------------------------------------------ submit

    @Test
    void jobIdsOfAcceptedSubmissions() throws Exception {
        for (String name : List.of("submit-ok", "submit-blocker", "submit-fail", "submit-killed", "submit-timeout",
                "submit-cancel-pending")) {
            CommandResult r = load(name);
            Matcher m = Pattern.compile("OAR_JOB_ID=([0-9]+)").matcher(r.stdout());
            assertTrue(m.find(), name);
            assertEquals(m.group(1), oar.parseJobId(r, null), name);
        }
    }

    @Test
    void anArrayIsKnownByItsArrayId() throws Exception {
        CommandResult r = load("submit-array");
        assertTrue(r.stdout().contains("OAR_JOB_ID=11\nOAR_JOB_ID=12\nOAR_JOB_ID=13\nOAR_JOB_ID=14\nOAR_ARRAY_ID=11"),
                r.stdout());
        assertEquals("11", oar.parseJobId(r, null));
    }

    @Test
    void aJobStoredWhileTheServerWasDownIsNotLost() throws Exception {
        // rc 9, "Cannot connect to executor localhost:6666. Job is killed." - but it is not: it ran
        // once the server was back (status-after-server-down).
        CommandResult r = load("submit-server-down");
        assertEquals(9, r.exitCode());
        assertTrue(r.stderr().contains("Job is killed."), r.stderr());
        String id = oar.parseJobId(r, null);
        assertEquals(List.of(id), ids(load("status-after-server-down")));
        assertEquals(JobState.COMPLETED, statusOf("status-after-server-down").state());
    }

    @Test
    void badQueueIsReportedVerbatimWithTheOption() {
        CommandResult r = load("submit-bad-queue");
        assertEquals(248, r.exitCode());
        // without the spec: the queue from OAR's words
        SchedulerException e = assertThrows(SchedulerException.class, () -> oar.parseJobId(r, null));
        assertEquals("ERROR : The queue nope does not exist (from --partition nope)", e.getMessage());
        assertFalse(e.isTransient());
        // with the spec it was submitted with
        e = assertThrows(SchedulerException.class, () -> oar.parseJobId(r, spec("nope", null, null)));
        assertEquals("ERROR : The queue nope does not exist (from --partition nope)", e.getMessage());
    }

    @Test
    void tooManyNodesOrCoresNameTheResourceOptions() {
        CommandResult nodes = load("submit-bad-nodes");
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> oar.parseJobId(nodes, spec(null, "2", null)));
        assertEquals("There are not enough resources for your request\n"
                + "[ERROR] Oarsub failed, please verify your request syntax. (from --nodes 2)", e.getMessage());

        CommandResult cores = load("submit-bad-cores");
        e = assertThrows(SchedulerException.class, () -> oar.parseJobId(cores, spec(null, null, 3)));
        assertTrue(e.getMessage().endsWith("(from --cpus-per-task 3)"), e.getMessage());
        assertFalse(e.getMessage().contains("OAR_JOB_ID=-5"), e.getMessage());
        assertFalse(e.getMessage().contains("Ignore script value"), e.getMessage());

        CommandResult res = load("submit-bad-resource");
        e = assertThrows(SchedulerException.class, () -> oar.parseJobId(res, null));
        assertTrue(e.getMessage().startsWith("Bad resource request (ERROR:  column \"gpu\" does not exist"), e.getMessage());
    }

    @Test
    void otherRefusalsVerbatim() {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> oar.parseJobId(load("submit-admin-queue"), null));
        assertEquals("[ADMISSION RULE] Only member of the group admin can submit jobs in the admin queue"
                + " (from --partition)", e.getMessage());
        e = assertThrows(SchedulerException.class, () -> oar.parseJobId(load("submit-bad-directive"), null));
        assertTrue(e.getMessage().startsWith("/!\\ Not able to scan file line: #OAR --mem 4G."), e.getMessage());
        e = assertThrows(SchedulerException.class, () -> oar.parseJobId(load("submit-not-executable"), null));
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        assertFalse(e.isTransient());
    }

    // ------------------------------------------------------------------ status

    @Test
    void waitingHoldRunning() throws Exception {
        assertEquals(new JobStatus(JobState.PENDING, null, null, null), statusOf("status-waiting"));
        assertEquals(new JobStatus(JobState.PENDING, "Hold", null, null), statusOf("status-hold"));
        assertEquals(new JobStatus(JobState.RUNNING, null, "vm", null), statusOf("status-running"));
    }

    @Test
    void terminatedIsCompletedOrFailedByExitStatus() throws Exception {
        assertEquals(new JobStatus(JobState.COMPLETED, null, "vm", 0), statusOf("status-completed"));
        // exit 3: OAR stores the wait status 768
        assertEquals(new JobStatus(JobState.FAILED, "exit code 3", "vm", 3), statusOf("status-failed"));
        // kill -9 $$: wait status 9
        assertEquals(new JobStatus(JobState.FAILED, "killed by signal 9", "vm", 0), statusOf("status-killed"));
    }

    @Test
    void errorIsTimeoutOrCancelledByItsEvents() throws Exception {
        // walltime: FRAG_JOB_REQUEST (by sarko) and WALLTIME
        assertEquals(new JobStatus(JobState.TIMEOUT, "WALLTIME", "vm", null), statusOf("status-timeout"));
        // oardel of a running job
        assertEquals(new JobStatus(JobState.CANCELLED, "FRAG_JOB_REQUEST", "vm", null), statusOf("status-cancelled"));
        // oardel of a waiting job: never ran, no node
        assertEquals(new JobStatus(JobState.CANCELLED, "FRAG_JOB_REQUEST", null, null),
                statusOf("status-cancelled-pending"));
    }

    @Test
    void severalJobsInOneCall() throws Exception {
        CommandResult r = load("status-several");
        List<String> ids = ids(r);
        assertEquals(3, ids.size());
        Map<String, JobStatus> all = oar.parseStatus(r, ids);
        assertEquals(JobState.COMPLETED, all.get(ids.get(0)).state());
        assertEquals(JobState.FAILED, all.get(ids.get(1)).state());
        assertEquals(JobState.FAILED, all.get(ids.get(2)).state());
        assertEquals(3, all.size());
    }

    @Test
    void unknownIdsAreLeftOut() throws Exception {
        CommandResult r = load("status-unknown");
        assertEquals("", r.stdout());
        assertEquals(Map.of(), oar.parseStatus(r, ids(r)));
    }

    @Test
    void anArrayIsOneJobMadeOfItsSubjobs() throws Exception {
        CommandResult running = load("status-array-running");
        Map<String, JobStatus> s = oar.parseStatus(running, List.of("11"));
        assertEquals(Map.of("11", new JobStatus(JobState.RUNNING, null, "vm", null)), s);
        assertEquals(Map.of(1, JobState.RUNNING, 2, JobState.RUNNING, 3, JobState.PENDING, 4, JobState.PENDING),
                oar.subjobStates(running, "11"));
        // a subjob asked by its own id
        assertEquals(JobState.PENDING, oar.parseStatus(running, List.of("13")).get("13").state());

        CommandResult fin = load("status-array-final");
        assertEquals(JobState.COMPLETED, oar.parseStatus(fin, List.of("11")).get("11").state());
        JobAccounting a = oar.parseAccounting(fin, "11").orElseThrow();
        assertEquals(JobState.COMPLETED, a.state());
        assertEquals(0, a.exitCode());
        assertEquals(0, a.signal());
        assertEquals("vm", a.node());
        // each subjob sleeps 3 s; the longest counts
        assertTrue(a.elapsed().compareTo(Duration.ofSeconds(3)) >= 0 && a.elapsed().compareTo(Duration.ofSeconds(10)) < 0,
                a.toString());
        assertEquals(null, a.cpuTime());
        assertEquals(null, a.maxMemoryBytes());
    }

    @Test
    void eachArraySubjobSawTheIndexAskedFor() {
        // --array 0-3 ran as "#OAR --array 4" with "job.sh 0 1"
        String out = resource("job-output-array.out");
        for (int i = 0; i < 4; i++) {
            assertTrue(out.contains("HPC_JOB_ID=11 HPC_ARRAY_INDEX=" + i + " OAR_JOB_ID=" + (11 + i)
                    + " OAR_ARRAY_INDEX=" + (i + 1)), out);
        }
        assertTrue(resource("job-output-ok.out").contains("HPC_ARRAY_INDEX= OAR_JOB_ID="),
                "a plain job has no index although OAR_ARRAY_INDEX=1");
    }

    @Test
    void theWalltimeKillIsWrittenToSchedulerOut() {
        assertTrue(resource("job-output-timeout.out").matches("(?s).*## OAR \\[[0-9: -]+\\] Job [0-9]+ KILLED ##.*"),
                resource("job-output-timeout.out"));
    }

    // ------------------------------------------------------------------ accounting

    @Test
    void accountingOfEveryEnd() {
        record Want(String file, JobState state, Integer exit, Integer signal) {}
        for (Want w : List.of(
                new Want("status-completed", JobState.COMPLETED, 0, 0),
                new Want("status-failed", JobState.FAILED, 3, 0),
                new Want("status-killed", JobState.FAILED, 0, 9),
                new Want("status-timeout", JobState.TIMEOUT, null, null),
                new Want("status-cancelled", JobState.CANCELLED, null, null),
                new Want("status-cancelled-pending", JobState.CANCELLED, null, null))) {
            CommandResult r = load(w.file());
            String id = ids(r).get(0);
            assertEquals(oar.accountingCommand(id).orElseThrow(), r.argv(), w.file());
            JobAccounting a = oar.parseAccounting(r, id).orElseThrow();
            assertEquals(w.state(), a.state(), w.file());
            assertEquals(w.exit(), a.exitCode(), w.file());
            assertEquals(w.signal(), a.signal(), w.file());
        }
        JobAccounting timeout = oar.parseAccounting(load("status-timeout"), ids(load("status-timeout")).get(0)).orElseThrow();
        // walltime 60 s; sarko looks every 10 s
        assertTrue(timeout.elapsed().compareTo(Duration.ofSeconds(60)) >= 0
                && timeout.elapsed().compareTo(Duration.ofSeconds(100)) < 0, timeout.toString());
        assertEquals("vm", timeout.node());
        assertEquals(null, oar.parseAccounting(load("status-cancelled-pending"), "8").orElseThrow().elapsed());
        assertEquals(Optional.empty(), oar.parseAccounting(load("status-unknown"), "999999"));
    }

    // ------------------------------------------------------------------ find by name

    @Test
    void findsTheJobByName() {
        assertEquals(Optional.of("7"), oar.parseFindByName(load("find-by-name"), "hk-cap-ok"));
        assertEquals(Optional.empty(), oar.parseFindByName(load("find-by-name"), "hk-cap-other"));
        assertEquals(Optional.empty(), oar.parseFindByName(load("find-by-name-none"), "hk-cap-nosuchname"));
    }

    // ------------------------------------------------------------------ cancel outputs

    @ParameterizedTest
    @ValueSource(strings = {"cancel-running", "cancel-pending"})
    void cancelAccepted(String name) {
        CommandResult r = load(name);
        assertTrue(r.ok(), r.output());
        assertTrue(r.stdout().contains("will be deleted in the near future"), r.stdout());
    }

    @Test
    void cancelOfAFinishedOrUnknownJob() {
        CommandResult fin = load("cancel-finished");
        assertEquals(6, fin.exitCode());
        assertTrue(fin.stderr().contains("This job was already killed."), fin.stderr());
        CommandResult unknown = load("cancel-unknown");
        assertEquals(4, unknown.exitCode());
        assertEquals("[ERROR] \"999999\" is not a valid array job", unknown.stderr().strip());
        assertFalse(oar.isTransient(unknown));
    }
}
