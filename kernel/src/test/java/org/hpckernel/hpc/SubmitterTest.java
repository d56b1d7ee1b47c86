package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.scheduler.SlurmScheduler;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * The shared submit flow against a fake Slurm controller (the real {@link SlurmScheduler} builds
 * the commands and reads the answers) behind a fake transport, on a fake clock: each case names
 * what the controller does with a submit, and asserts how many jobs exist afterwards.
 */
class SubmitterTest {
    private static final Predicate<String> NONE_TAKEN = id -> false;
    private static final Submitter.Settings SETTINGS = new Submitter.Settings(Duration.ofSeconds(60),
            Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(300), 3);

    /** What one sbatch call does. */
    enum Submit {
        /** creates the job and prints its id */
        OK,
        /** creates the job, then fails as sbatch does when the reply is lost */
        CREATE_THEN_SOCKET_TIMEOUT,
        /** fails with a transient error, no job */
        TRANSIENT_NO_JOB,
        /** hangs past the timeout; the job lands {@code lateBy} after that */
        TIMEOUT_LATE_ARRIVAL,
        /** hangs past the timeout; the job never lands */
        TIMEOUT_NEVER,
        /** the connection drops after the job was created */
        DROP_AFTER_CREATE,
        /** refuses the job for good */
        REFUSE
    }

    /** A Slurm controller as sbatch and squeue see it, on the test's clock. */
    static final class FakeSlurm implements Transport, Submitter.Clock {
        final List<Submit> plan;
        final List<String> jobs = new ArrayList<>(); // script path of each job, id = index + 100
        final List<long[]> pending = new ArrayList<>(); // {time the job lands}
        final List<String> pendingScripts = new ArrayList<>();
        Duration lateBy = Duration.ofSeconds(5);
        int submits;
        int lookups;
        /** squeue fails (controller down) until this time */
        long downUntil = -1;
        long now;

        FakeSlurm(Submit... plan) {
            this.plan = new ArrayList<>(List.of(plan));
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            now += d.toNanos();
            land();
        }

        private void land() {
            for (int i = pending.size() - 1; i >= 0; i--) {
                if (pending.get(i)[0] <= now) {
                    jobs.add(pendingScripts.remove(i));
                    pending.remove(i);
                }
            }
        }

        @Override
        public CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException {
            if (argv.get(0).equals("sbatch")) {
                String script = argv.get(argv.size() - 1);
                Submit what = plan.get(submits++);
                switch (what) {
                    case OK:
                        jobs.add(script);
                        return result(argv, 0, (jobs.size() + 99) + "\n", "", false);
                    case CREATE_THEN_SOCKET_TIMEOUT:
                        jobs.add(script);
                        return result(argv, 1, "", "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n", false);
                    case TRANSIENT_NO_JOB:
                        return result(argv, 1, "", "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n", false);
                    case TIMEOUT_LATE_ARRIVAL:
                        now += timeout.toNanos();
                        pending.add(new long[] {now + lateBy.toNanos()});
                        pendingScripts.add(script);
                        return result(argv, -1, "", "", true);
                    case TIMEOUT_NEVER:
                        now += timeout.toNanos();
                        return result(argv, -1, "", "", true);
                    case DROP_AFTER_CREATE:
                        jobs.add(script);
                        throw new IOException("connection reset");
                    default:
                        return result(argv, 1, "", "sbatch: error: Batch job submission failed: Invalid partition name specified\n", false);
                }
            }
            if (argv.get(0).equals("squeue")) {
                lookups++;
                if (now < downUntil) {
                    return result(argv, 1, "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", false);
                }
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < jobs.size(); i++) out.append(i + 100).append('|').append(jobs.get(i)).append('\n');
                return result(argv, 0, out.toString(), "", false);
            }
            throw new IOException("unexpected command " + argv);
        }

        private static CommandResult result(List<String> argv, int code, String out, String err, boolean timedOut) {
            return new CommandResult(argv, code, out, err, timedOut);
        }

        long jobsOf(String script) {
            return jobs.stream().filter(script::equals).count();
        }

        // ---- not used by the submit flow
        @Override public String describe() { return "fake"; }
        @Override public String home() { return "/home/me"; }
        @Override public void makePrivateDirectory(String path) {}
        @Override public void writeFile(String path, byte[] content, boolean executable) {}
        @Override public Optional<byte[]> readFile(String path) { return Optional.empty(); }
        @Override public byte[] readFrom(String path, long offset, int maxBytes) { return new byte[0]; }
        @Override public long size(String path) { return -1; }
        @Override public void delete(String path) {}
        @Override public void close() {}
    }

    private static final String SCRIPT = "/scratch/me/jobs/20260101-000000-0a1b2c3d/job.sh";

    private static ClusterSession cluster(FakeSlurm slurm) {
        ClusterProfile profile = new ClusterProfile("dahu", "slurm", "/scratch/me", "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults());
        return new ClusterSession(profile, new SlurmScheduler(), slurm);
    }

    private static JobPackage job(String name) {
        JobSpec spec = JobSpec.builder().jobName(name).cluster("dahu")
                .jobDir("/scratch/me/jobs/20260101-000000-0a1b2c3d").build();
        return new JobPackage("20260101-000000-0a1b2c3d", spec.jobDir(), SCRIPT, "#!/bin/sh\n", spec, "hash");
    }

    private static String submit(FakeSlurm slurm) throws Exception {
        return new Submitter(SETTINGS, slurm).submit(cluster(slurm), job("my-own-name"), NONE_TAKEN);
    }

    @Test
    void aPlainSubmitIsNotLookedUp() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.OK);
        assertEquals("100", submit(slurm));
        assertEquals(0, slurm.lookups);
    }

    @Test
    void aSocketTimeoutAfterTheJobWasCreatedFindsItAndDoesNotSubmitAgain() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.CREATE_THEN_SOCKET_TIMEOUT, Submit.OK);
        assertEquals("100", submit(slurm));
        assertEquals(1, slurm.submits);
        assertEquals(1, slurm.jobsOf(SCRIPT));
    }

    @Test
    void aJobThatLandsAfterTheFirstLookUpInsideTheWindowIsFound() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.TIMEOUT_LATE_ARRIVAL, Submit.OK);
        slurm.lateBy = Duration.ofSeconds(5);
        assertEquals("100", submit(slurm));
        assertEquals(1, slurm.submits);
        assertEquals(1, slurm.jobsOf(SCRIPT));
        assertTrue(slurm.lookups > 1, "looked up only once: " + slurm.lookups);
    }

    @Test
    void aJobNotFoundOverTheWholeWindowIsSubmittedOnceMore() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.TIMEOUT_NEVER, Submit.OK);
        long start = slurm.now;
        assertEquals("100", submit(slurm));
        assertEquals(2, slurm.submits);
        assertEquals(1, slurm.jobsOf(SCRIPT));
        assertTrue(slurm.now - start >= SETTINGS.submitTimeout().plus(SETTINGS.settle()).toNanos(),
                "resubmitted before the window ended");
    }

    @Test
    void aLateArrivalAfterTheWindowIsNotWaitedForForever() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.TIMEOUT_LATE_ARRIVAL, Submit.OK);
        slurm.lateBy = Duration.ofSeconds(25); // lands after the 20 s window: the resubmit is the one kept
        assertEquals("100", submit(slurm));
        assertEquals(2, slurm.submits);
    }

    @Test
    void aDroppedConnectionAfterCreationFindsTheJob() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.DROP_AFTER_CREATE, Submit.OK);
        assertEquals("100", submit(slurm));
        assertEquals(1, slurm.submits);
    }

    @Test
    void whileTheControllerCannotAnswerNothingIsResubmitted() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.TRANSIENT_NO_JOB, Submit.OK);
        slurm.downUntil = Duration.ofSeconds(30).toNanos();
        assertEquals("100", submit(slurm));
        assertEquals(2, slurm.submits);
        assertEquals(1, slurm.jobsOf(SCRIPT));
    }

    @Test
    void aControllerThatNeverAnswersLeavesTheSubmissionUnresolved() {
        FakeSlurm slurm = new FakeSlurm(Submit.TIMEOUT_NEVER, Submit.OK);
        slurm.downUntil = Long.MAX_VALUE;
        Submitter.Unresolved e = assertThrows(Submitter.Unresolved.class, () -> submit(slurm));
        assertTrue(e.getMessage().contains("Unable to contact slurm controller"), e.getMessage());
        assertEquals(1, slurm.submits);
    }

    @Test
    void aRefusalIsNotRetriedAndNamesTheReason() {
        FakeSlurm slurm = new FakeSlurm(Submit.REFUSE);
        SchedulerException e = assertThrows(SchedulerException.class, () -> submit(slurm));
        assertTrue(e.getMessage().contains("Invalid partition"), e.getMessage());
        assertEquals(1, slurm.submits);
        assertEquals(0, slurm.lookups);
    }

    @Test
    void retriesAreBoundedAndEachOneIsLookedUpFirst() {
        FakeSlurm slurm = new FakeSlurm(Submit.TRANSIENT_NO_JOB, Submit.TRANSIENT_NO_JOB, Submit.TRANSIENT_NO_JOB);
        SchedulerException e = assertThrows(SchedulerException.class, () -> submit(slurm));
        assertEquals(3, slurm.submits);
        assertTrue(e.isTransient());
        assertTrue(slurm.lookups >= 3);
    }

    @Test
    void aJobWithAnotherSubmissionsScriptIsNotTakenForThisOne() throws Exception {
        FakeSlurm slurm = new FakeSlurm(Submit.TIMEOUT_NEVER, Submit.OK);
        slurm.jobs.add("/scratch/me/jobs/20251231-000000-ffffffff/job.sh"); // same user, same -J, another cell
        assertEquals("101", submit(slurm));
        assertEquals(1, slurm.jobsOf(SCRIPT));
    }

    @Test
    void anEarlierKernelsSubmissionIsResolvedByLookUp() throws Exception {
        FakeSlurm slurm = new FakeSlurm();
        slurm.pending.add(new long[] {Duration.ofSeconds(5).toNanos()});
        slurm.pendingScripts.add(SCRIPT);
        Optional<String> id = new Submitter(SETTINGS, slurm).resolve(cluster(slurm),
                new Submitter.Target("hpc-0a1b2c3d", SCRIPT), NONE_TAKEN);
        assertEquals(Optional.of("100"), id);
        FakeSlurm empty = new FakeSlurm();
        assertEquals(Optional.empty(), new Submitter(SETTINGS, empty).resolve(cluster(empty),
                new Submitter.Target("hpc-0a1b2c3d", SCRIPT), NONE_TAKEN));
        assertTrue(empty.now >= SETTINGS.settle().toNanos(), "gave up before the window ended");
    }

    @Test
    void settingsComeFromTheEnvironment() {
        Submitter.Settings s = Submitter.Settings.fromEnvironment(Map.of("HPC_KERNEL_SUBMIT_TIMEOUT", "7",
                "HPC_KERNEL_SUBMIT_SETTLE", "3"));
        assertEquals(Duration.ofSeconds(7), s.submitTimeout());
        assertEquals(Duration.ofSeconds(3), s.settle());
        assertEquals(Submitter.Settings.DEFAULT, Submitter.Settings.fromEnvironment(Map.of("HPC_KERNEL_SUBMIT_TIMEOUT", "x")));
    }
}
