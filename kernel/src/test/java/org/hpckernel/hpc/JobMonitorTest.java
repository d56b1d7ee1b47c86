package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;

/**
 * The follow/finish path on a cluster in memory: the monitor's rounds are run by hand and its
 * clock is moved by the test, so nothing here depends on timing.
 */
class JobMonitorTest {
    private static final String DIR = "/work/jobs/k1";
    private final FakeCluster.TestClock clock = new FakeCluster.TestClock();
    private final JobMonitor monitor = new JobMonitor(clock);
    private final FakeCluster cluster = new FakeCluster("dahu");
    private final FakeCluster.Files files = cluster.files;

    private static String f(String name) {
        return DIR + "/" + name;
    }

    /** Rounds 100 ms apart until the job's cell may end; fails if that takes more than {@code max} rounds. */
    private int roundsUntilDone(TrackedJob job, int max) {
        for (int i = 1; i <= max; i++) {
            monitor.round();
            clock.advance(Duration.ofMillis(100));
            if (job.outcome().isDone()) return i;
        }
        throw new AssertionError("job " + job.id() + " still followed after " + max + " rounds: " + job.status());
    }

    private void rounds(int n, Duration apart) {
        for (int i = 0; i < n; i++) {
            monitor.round();
            clock.advance(apart);
        }
    }

    private TrackedJob follow(RecordingListener listener) {
        return monitor.follow("7", cluster.session, DIR, null, listener);
    }

    private static JobOutcome outcome(TrackedJob job) throws Exception {
        return job.outcome().get(0, TimeUnit.SECONDS);
    }

    @Test
    void aCompletedJobEndsAtOnceWithItsOutputByteExact() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1700000000 node1 1\n");
        files.append(f("stdout"), "héllo\nwörld\n");
        files.write(f("exit"), "0 1700000001 node1 1\n");
        assertTrue(roundsUntilDone(job, 5) <= 4);
        JobOutcome o = outcome(job);
        assertEquals(JobState.COMPLETED, o.state());
        assertEquals(0, o.exitCode());
        assertEquals("node1", o.node());
        assertEquals("héllo\nwörld\n", out.stdout.toString());
    }

    @Test
    void theEndWaitsUntilTheOutputStopsGrowing() throws Exception {
        // A shared file system shows the exit marker before the end of the output.
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "first\n");
        files.write(f("exit"), "0 2 node1 1\n");
        monitor.round(); // reads the marker
        monitor.round(); // reads to the end once: nothing new yet
        assertFalse(job.outcome().isDone(), "ended after a single read without growth");
        files.append(f("stdout"), "late\n");
        roundsUntilDone(job, 5);
        assertEquals("first\nlate\n", out.stdout.toString());
        assertEquals(JobState.COMPLETED, outcome(job).state());
    }

    /** The marker job.sh writes: the four words, then the sizes of the task's files. */
    private static String marker(int code, int run, String stdout, String stderr, String events) {
        return code + " 2 node1 " + run + " stdout=" + bytes(stdout) + " stderr=" + bytes(stderr) + " events=" + bytes(events) + "\n";
    }

    private static int bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Test
    void aMarkerWithSizesEndsTheCellAsSoonAsTheSizesAreReadWithoutFurtherRounds() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "héllo\n");
        monitor.round();
        // The end of the output and the marker land after this round's read of the files.
        files.append(f("stdout"), "wörld\n");
        files.append(f("stderr"), "warn\n");
        files.write(f("exit"), marker(0, 1, "héllo\nwörld\n", "warn\n", ""));
        monitor.round();
        assertTrue(job.outcome().isDone(), "the recorded sizes were read, yet the cell waited for more rounds");
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals("héllo\nwörld\n", out.stdout.toString());
        assertEquals("warn\n", out.stderr.toString());
    }

    @Test
    void aMarkerWhoseSizesAreNotReachedYetKeepsReadingUntilTheyAre() throws Exception {
        // A lagging file system: the marker is visible, the end of the output not yet.
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "first\n");
        files.write(f("exit"), marker(0, 1, "first\nlate\n", "", "{\"t\":\"exit\",\"code\":0}\n"));
        rounds(30, Duration.ofSeconds(1));
        assertFalse(job.outcome().isDone(), "ended before its files reached the sizes the job recorded");
        files.append(f("stdout"), "late\n");
        files.append(f("events.jsonl"), "{\"t\":\"exit\",\"code\":0}\n");
        assertEquals(1, roundsUntilDone(job, 1));
        assertEquals("first\nlate\n", out.stdout.toString());
        assertEquals(JobState.COMPLETED, outcome(job).state());
    }

    @Test
    void aFileThatNeverReachesItsRecordedSizeEndsTheCellNamingItAfterTheLag() throws Exception {
        FakeCluster lagging = new FakeCluster("nfs", new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMillis(100), 1 << 20, Duration.ofSeconds(20)));
        RecordingListener out = new RecordingListener();
        TrackedJob job = monitor.follow("9", lagging.session, DIR, null, out);
        lagging.files.write(f("started"), "1 node1 1\n");
        lagging.files.append(f("stdout"), "all\n");
        lagging.files.append(f("stderr"), "part");
        lagging.files.write(f("exit"), marker(0, 1, "all\n", "partial\n", ""));
        rounds(190, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone(), "gave up on the file before the file-system lag passed");
        rounds(30, Duration.ofMillis(100));
        ExecutionException e = assertThrows(ExecutionException.class, () -> job.outcome().get(0, TimeUnit.SECONDS));
        assertInstanceOf(JobLostException.class, e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(message.contains("stderr could be read up to byte 4 of the 8 the job recorded"), message);
        assertTrue(message.contains("%hpc logs 9"), message);
        assertEquals("all\n", out.stdout.toString());
        assertEquals("part", out.stderr.toString());
    }

    @Test
    void anOlderMarkerWithoutSizesStillWaitsForTheOutputToStopGrowing() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "first\n");
        files.write(f("exit"), "0 2 node1 1\n");
        monitor.round(); // reads the marker: reads that count come after it
        monitor.round(); // nothing new: one read without growth
        assertFalse(job.outcome().isDone(), "a marker without sizes ended the job after a single read without growth");
        monitor.round();
        assertTrue(job.outcome().isDone());
        assertEquals("first\n", out.stdout.toString());
    }

    @Test
    void aRequeuedRunsMarkerCarriesTheTotalsOfEveryRun() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING));
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "run 1\n");
        files.write(f("exit"), marker(3, 1, "run 1\n", "", ""));
        cluster.scheduler.states.put("7", new JobStatus(JobState.PENDING, "BeginTime", null, null));
        rounds(10, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone(), "the failed run ended the cell although the job runs again");
        assertEquals(1, job.requeues());
        // Run 2 appends to the same files; its marker records the totals of both runs.
        files.remove(f("exit"));
        files.write(f("started"), "3 node2 2\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING));
        files.append(f("stdout"), "run 2\n");
        files.write(f("exit"), marker(0, 2, "run 1\nrun 2\n", "", ""));
        assertEquals(1, roundsUntilDone(job, 5), "the rerun's totals were read, yet the cell waited");
        assertEquals("run 1\nrun 2\n", out.stdout.toString());
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals("node2", outcome(job).node());
    }

    @Test
    void anEmptyOrHalfWrittenExitMarkerIsNotAnEnd() throws Exception {
        // Seen on Slurm with an in-place `printf > exit`: the file exists, empty, for a moment.
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "ok\n");
        files.write(f("exit"), "");
        rounds(6, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone(), "an empty exit marker ended the job");
        files.write(f("exit"), "0 2 node1 1\n");
        roundsUntilDone(job, 5);
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals(0, outcome(job).exitCode());
    }

    @Test
    void aShortJobTheSchedulerForgotIsCompletedWhenItsFilesShowWithinTheLag() throws Exception {
        // Grid Engine forgets a job as soon as it ends; NFS shows its files 30 s later.
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        rounds(300, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone(), "declared lost before the file-system lag passed");
        assertTrue(out.saidReason("no longer known"), out.statuses.toString());
        files.write(f("exit"), "0 2 node3 1\n");
        files.append(f("stdout"), "short and sweet\n");
        roundsUntilDone(job, 5);
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals("short and sweet\n", out.stdout.toString());
    }

    @Test
    void aForgottenJobWithoutMarkersIsLostOnlyAfterTheConfiguredLag() throws Exception {
        FakeCluster lagging = new FakeCluster("nfs", new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMillis(100), 1 << 20, Duration.ofSeconds(20)));
        TrackedJob job = monitor.follow("9", lagging.session, DIR, null, new RecordingListener());
        lagging.files.write(f("started"), "1 node1 1\n");
        rounds(190, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone());
        rounds(30, Duration.ofMillis(100));
        assertTrue(job.outcome().isDone());
        assertEquals(JobState.NODE_FAIL, outcome(job).state());
    }

    @Test
    void aRequeuedJobIsFollowedThroughItsNextRunAndEndsAsTheLastRunDid() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING));
        files.write(f("started"), "1 node1 1\n");
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= 50; i++) all.append(i).append('\n');
        files.append(f("stdout"), all.toString());
        rounds(3, Duration.ofMillis(100));
        // scontrol requeue: TERM trap → exit 143 of run 1, and the job is pending again.
        files.write(f("exit"), "143 2 node1 1\n");
        cluster.scheduler.states.put("7", new JobStatus(JobState.PENDING, "BeginTime", null, null));
        rounds(10, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone(), "the failed run ended the cell although the job runs again");
        assertTrue(out.saidReason("requeued"), out.statuses.toString());
        assertEquals(1, job.requeues());
        // Run 2 appends to the same files; its start replaces the stale exit marker.
        files.remove(f("exit"));
        files.write(f("started"), "3 node2 2\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING));
        StringBuilder second = new StringBuilder();
        for (int i = 1; i <= 200; i++) second.append(i).append('\n');
        files.append(f("stdout"), second.toString());
        all.append(second);
        files.write(f("exit"), "0 4 node2 2\n");
        roundsUntilDone(job, 10);
        JobOutcome o = outcome(job);
        assertEquals(JobState.COMPLETED, o.state());
        assertEquals("node2", o.node());
        assertEquals(all.toString(), out.stdout.toString());
        assertTrue(out.saidReason("requeued, run 2"), out.statuses.toString());
    }

    @Test
    void aPendingAnswerAskedBeforeTheJobStartedIsNotARequeue() throws Exception {
        // Seen at scale on Slurm: squeue was asked while the job queued, the job then started and
        // failed, and the answer ("pending") arrived after its start marker had been read.
        List<Runnable> inFlight = new ArrayList<>();
        JobMonitor held = new JobMonitor(clock, inFlight::add);
        TrackedJob job = held.follow("7", cluster.session, DIR, null, new RecordingListener());
        cluster.scheduler.states.put("7", JobStatus.of(JobState.PENDING));
        clock.advance(Duration.ofSeconds(2));
        held.round();
        assertEquals(1, inFlight.size(), "the monitor asked the scheduler");
        files.write(f("started"), "1 node1 1\n");
        held.round(); // the start marker is read while the question is still out
        inFlight.remove(0).run(); // the answer, as Slurm gave it when asked: pending
        files.write(f("exit"), "3 2 node1 1\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.FAILED));
        for (int i = 0; i < 100 && !job.outcome().isDone(); i++) {
            held.round();
            while (!inFlight.isEmpty()) inFlight.remove(0).run();
            clock.advance(Duration.ofMillis(500));
        }
        JobOutcome o = outcome(job);
        assertEquals(0, job.requeues(), "a stale pending answer was taken for a requeue");
        assertEquals(JobState.FAILED, o.state());
        assertEquals(3, o.exitCode());
    }

    @Test
    void aJobRequeuedAfterItsNodeFailedIsFollowedToo() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "before\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING));
        rounds(3, Duration.ofMillis(100));
        // The node died: no exit marker; the scheduler queues the job again.
        cluster.scheduler.states.put("7", JobStatus.of(JobState.PENDING));
        rounds(700, Duration.ofMillis(100));
        assertEquals(1, job.requeues());
        assertFalse(job.outcome().isDone());
        files.write(f("started"), "5 node2 2\n");
        files.append(f("stdout"), "after\n");
        files.write(f("exit"), "0 6 node2 2\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.COMPLETED));
        roundsUntilDone(job, 10);
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals("before\nafter\n", out.stdout.toString());
    }

    @Test
    void aStaleExitMarkerOfAnEarlierRunDoesNotEndAnAttachDuringTheRerun() throws Exception {
        files.write(f("started"), "3 node2 2\n");
        files.write(f("exit"), "143 2 node1 1\n");
        files.append(f("stdout"), "run 1\nrun 2\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING));
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        rounds(20, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone(), "the stale exit marker of run 1 ended the cell");
        files.write(f("exit"), "0 4 node2 2\n");
        roundsUntilDone(job, 5);
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals("run 1\nrun 2\n", out.stdout.toString());
    }

    @Test
    void aFailedRunEndsTheCellOnceTheSchedulerSaysItIsOver() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stderr"), "boom\n");
        files.write(f("exit"), "3 2 node1 1\n");
        cluster.scheduler.states.put("7", JobStatus.of(JobState.RUNNING)); // still completing
        rounds(5, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone());
        cluster.scheduler.states.put("7", JobStatus.of(JobState.FAILED));
        roundsUntilDone(job, 100);
        JobOutcome o = outcome(job);
        assertEquals(JobState.FAILED, o.state());
        assertEquals(3, o.exitCode());
        assertEquals("boom\n", out.stderr.toString());
    }

    @Test
    void aConnectionDroppedDuringTheFinalDrainResumesAtItsOffset() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 node1 1\n");
        files.append(f("stdout"), "one\n");
        monitor.round();
        files.append(f("stdout"), "two\nthree\n");
        files.write(f("exit"), "0 2 node1 1\n");
        files.failNext.set(4);
        rounds(4, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone());
        assertTrue(out.statuses.stream().anyMatch(v -> v.connection() != null), "the status line did not say the connection was lost");
        roundsUntilDone(job, 10);
        assertEquals("one\ntwo\nthree\n", out.stdout.toString());
        assertEquals(JobState.COMPLETED, outcome(job).state());
    }

    @Test
    void aConnectionThatStaysDownEndsTheCellWithJobLost() {
        TrackedJob job = follow(new RecordingListener());
        files.write(f("started"), "1 node1 1\n");
        files.write(f("exit"), "0 2 node1 1\n");
        monitor.round();
        files.down = true;
        rounds(10, Duration.ofMinutes(1));
        assertFalse(job.outcome().isDone(), "lost while the connection might still come back");
        rounds(10, Duration.ofMinutes(1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> job.outcome().get(0, TimeUnit.SECONDS));
        assertInstanceOf(JobLostException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("%hpc attach 7"), e.getCause().getMessage());
    }

    @Test
    void anErrorWhileFollowingOneJobEndsOnlyThatJob() throws Exception {
        FakeCluster other = new FakeCluster("other");
        RecordingListener broken = new RecordingListener() {
            @Override
            public synchronized void onStream(Integer task, String name, String text) {
                throw new StackOverflowError("listener bug");
            }
        };
        TrackedJob bad = monitor.follow("1", cluster.session, DIR, null, broken);
        RecordingListener fine = new RecordingListener();
        TrackedJob good = monitor.follow("2", cluster.session, "/work/jobs/k2", null, fine);
        RecordingListener elsewhere = new RecordingListener();
        TrackedJob remote = monitor.follow("3", other.session, DIR, null, elsewhere);
        files.write(f("started"), "1 n 1\n");
        files.append(f("stdout"), "x\n");
        for (FakeCluster.Files fs : List.of(files, other.files)) {
            String dir = fs == files ? "/work/jobs/k2" : DIR;
            fs.write(dir + "/started", "1 n 1\n");
            fs.write(dir + "/exit", "0 2 n 1\n");
            fs.append(dir + "/stdout", "ok\n");
        }
        files.append(f("stdout"), "more\n");
        roundsUntilDone(good, 10);
        roundsUntilDone(remote, 10);
        for (int i = 0; i < JobMonitor.MAX_STEP_FAILURES && !bad.outcome().isDone(); i++) {
            files.append(f("stdout"), "again\n");
            monitor.round();
        }
        assertEquals("ok\n", fine.stdout.toString());
        assertEquals(JobState.COMPLETED, outcome(good).state());
        assertEquals(JobState.COMPLETED, outcome(remote).state());
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.outcome().get(0, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("StackOverflowError"), e.getCause().getMessage());
    }

    @Test
    void malformedEventLinesAreShownAsTextNeverThrown() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 n 1\n");
        files.append(f("events.jsonl"), "{\"t\":\"stream\",\"name\":\"stdout\",\"text\":\"a\\n\"}\n"
                + "not json at all\n"
                + "{\"t\":\"stream\",\"text\":\"no name\"}\n"
                + "[1,2]\n"
                + "{\"t\":\"result\",\"data\":{\"text/plain\":\"42\"}}\n");
        files.write(f("exit"), "0 2 n 1\n");
        roundsUntilDone(job, 5);
        assertEquals("a\n", out.stdout.toString());
        assertEquals("not json at all\n{\"t\":\"stream\",\"text\":\"no name\"}\n[1,2]\n", out.stderr.toString());
        assertEquals(1, out.events.size());
        assertEquals(JobState.COMPLETED, outcome(job).state());
    }

    @Test
    void aStatusCommandThatFailsForGoodEndsTheCellWithItsMessageAfterBoundedTries() throws Exception {
        TrackedJob job = follow(new RecordingListener());
        cluster.scheduler.failure = new SchedulerException("bash: line 1: squeue: command not found", false);
        rounds(2 * JobMonitor.MAX_STATUS_FAILURES + 2, Duration.ofSeconds(61));
        ExecutionException e = assertThrows(ExecutionException.class, () -> job.outcome().get(0, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("squeue: command not found"), e.getCause().getMessage());
        assertTrue(cluster.scheduler.statusCalls.get() <= JobMonitor.MAX_STATUS_FAILURES + 1, "tries: " + cluster.scheduler.statusCalls);
    }

    @Test
    void aTransientStatusFailureIsRetriedWithoutEndingTheCell() {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        cluster.scheduler.failure = new SchedulerException("slurm_load_jobs error: Socket timed out", true);
        rounds(20, Duration.ofSeconds(61));
        assertFalse(job.outcome().isDone());
        assertTrue(cluster.scheduler.statusCalls.get() >= 10);
        assertTrue(out.saidReason("scheduler not answering"), out.statuses.toString());
    }

    @Test
    void aBackgroundCancelReturnsAtOnceAndIsRetriedUntilTheSchedulerTakesIt() throws Exception {
        TrackedJob job = follow(new RecordingListener());
        cluster.scheduler.states.put("7", JobStatus.of(JobState.PENDING));
        files.answer = argv -> {
            if (argv.get(0).equals("cancel")) throw new IOException("Connection refused");
            return new CommandResult(argv, 0, "", "", false);
        };
        monitor.cancelInBackground(job);
        assertTrue(job.cancelRequested());
        assertTrue(files.commands.stream().noneMatch(c -> c.get(0).equals("cancel")), "the cancel ran in the caller");
        assertEquals(1, monitor.pendingCancels());
        rounds(20, Duration.ofSeconds(1));
        long tries = files.commands.stream().filter(c -> c.get(0).equals("cancel")).count();
        assertTrue(tries >= 3 && tries < 20, "tries: " + tries);
        assertEquals(1, monitor.pendingCancels());
        assertFalse(job.outcome().isDone());
        // The cancel goes through and the scheduler forgets the job: the cell ends without waiting for the file-system lag.
        files.answer = argv -> new CommandResult(argv, 0, "", "", false);
        cluster.scheduler.states.remove("7");
        rounds(40, Duration.ofSeconds(1));
        assertEquals(0, monitor.pendingCancels());
        roundsUntilDone(job, 20);
        assertEquals(JobState.CANCELLED, outcome(job).state());
    }

    @Test
    void aTenThousandTaskArrayCostsFileOperationsPerRunningTaskNotPerTask() throws Exception {
        List<Integer> tasks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) tasks.add(i);
        RecordingListener out = new RecordingListener();
        TrackedJob job = monitor.follow("8", cluster.session, DIR, tasks, out);
        cluster.scheduler.states.put("8", JobStatus.of(JobState.RUNNING));
        for (int i = 0; i < 10_000; i++) {
            files.write(f("started." + i), "1 n 1\n");
            files.write(f("stdout." + i), "task " + i + "\n");
            if (i != 17 && i != 9_000) files.write(f("exit." + i), "0 2 n 1\n");
        }
        rounds(1000, Duration.ofMillis(100));
        assertFalse(job.outcome().isDone());
        int before = files.operations.get();
        monitor.round();
        int perRound = files.operations.get() - before;
        assertTrue(perRound <= 2 * 4, "file operations in one round with 2 running tasks: " + perRound);
        files.write(f("exit.17"), "0 3 n 1\n");
        files.write(f("exit.9000"), "0 3 n 1\n");
        roundsUntilDone(job, 10);
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals(10_000, outcome(job).taskExitCodes().size());
        assertTrue(out.stdout.toString().contains("task 9999\n") && out.stdout.toString().contains("task 17\n"));
    }

    @Test
    void theFinalDrainReadsNoMoreThanTheCellShows() throws Exception {
        long cap = 64 << 10;
        FakeCluster capped = new FakeCluster("capped", new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMillis(100), cap));
        RecordingListener out = new RecordingListener();
        TrackedJob job = monitor.follow("5", capped.session, DIR, null, out);
        String line = "x".repeat(99) + "\n";
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 50_000; i++) big.append(line); // 5 MB
        capped.files.write(f("started"), "1 n 1\n");
        capped.files.append(f("stdout"), big.toString());
        capped.files.append(f("events.jsonl"), "{\"t\":\"stream\",\"name\":\"stdout\",\"text\":\"" + "y".repeat(1 << 20) + "\"}\n"
                + "{\"t\":\"result\",\"data\":{\"text/plain\":\"done\"}}\n");
        capped.files.write(f("exit"), "0 2 n 1\n");
        roundsUntilDone(job, 10);
        assertEquals(JobState.COMPLETED, outcome(job).state());
        assertEquals(cap, out.stdout.length());
        assertTrue(capped.files.bytesRead.get() < cap + OutputFollower.EVENTS_TAIL + 1024,
                "bytes transferred: " + capped.files.bytesRead.get());
        assertTrue(out.skipped >= 5_000_000 - cap, "skipped: " + out.skipped);
        assertEquals(1, out.events.size(), "the result past the cap was not read");
    }

    @Test
    void anEventLineWithoutNewlineIsCutAtItsBound() throws Exception {
        RecordingListener out = new RecordingListener();
        TrackedJob job = follow(out);
        files.write(f("started"), "1 n 1\n");
        files.append(f("events.jsonl"), "{\"t\":\"display\",\"data\":{\"text/plain\":\"" + "z".repeat(3 << 20));
        rounds(3, Duration.ofMillis(100));
        assertTrue(out.stderr.toString().contains("cut here"), out.stderr.length() + " bytes on stderr");
        assertTrue(out.stderr.length() < 1000);
        files.append(f("events.jsonl"), "zz\"}}\n{\"t\":\"result\",\"data\":{\"text/plain\":\"1\"}}\n");
        files.write(f("exit"), "0 2 n 1\n");
        roundsUntilDone(job, 5);
        assertEquals(1, out.events.size());
        assertEquals("result", out.events.get(0).get("t").getAsString());
    }

    @Test
    void theFollowIntervalOfEachClusterIsItsRoundInterval() {
        assertEquals(Duration.ofSeconds(2), JobMonitor.roundInterval(Duration.ofMillis(100),
                new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2), 1 << 20)));
        assertEquals(Duration.ofMillis(100), JobMonitor.roundInterval(Duration.ofMillis(100),
                new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMillis(1), 1 << 20)));
    }

    @Test
    void aClusterWhoseConnectionHangsDoesNotStallAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (JobMonitor threaded = new JobMonitor(Duration.ofMillis(10))) {
            FakeCluster stuck = new FakeCluster("stuck");
            TrackedJob blocked = threaded.follow("1", new ClusterSession(stuck.session.profile(), stuck.scheduler,
                    new BlockingFiles(release)), DIR, null, new RecordingListener());
            RecordingListener out = new RecordingListener();
            files.write(f("started"), "1 n 1\n");
            files.append(f("stdout"), "free\n");
            files.write(f("exit"), "0 2 n 1\n");
            TrackedJob free = threaded.follow("2", cluster.session, DIR, null, out);
            assertEquals(JobState.COMPLETED, free.outcome().get(60, TimeUnit.SECONDS).state());
            assertEquals("free\n", out.stdout.toString());
            assertFalse(blocked.outcome().isDone());
        } finally {
            release.countDown();
        }
    }

    /** A login node that stopped answering: every file read blocks until released. */
    private static final class BlockingFiles extends FakeCluster.Files {
        private final CountDownLatch release;

        BlockingFiles(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public java.util.Optional<byte[]> readFile(String path) throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException("interrupted");
            }
            return super.readFile(path);
        }
    }
}
