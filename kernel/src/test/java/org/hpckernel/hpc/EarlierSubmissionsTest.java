package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.ledger.JobLedger;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.scheduler.SlurmScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kernel that finds SUBMITTING records of a stopped kernel resolves them against the fake Slurm controller. */
class EarlierSubmissionsTest {
    private static final Submitter.Settings SETTINGS = new Submitter.Settings(Duration.ofSeconds(60),
            Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(300), 3);
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path dir;

    private static LedgerEntry submitting(String cluster, String key, Instant at) {
        String jobDir = "/scratch/me/jobs/" + key;
        return new LedgerEntry(null, cluster, key, jobDir, List.of(), "hash-" + key, null, null, "echo", false, null,
                LedgerEntry.SUBMITTING, null, at.toString(), null, "hpc-" + key.substring(0, 8), jobDir + "/job.sh");
    }

    @Test
    void oldRecordsAreFoundOrRemovedYoungOnesAndOtherClustersAreLeftAlone() throws Exception {
        SubmitterTest.FakeSlurm slurm = new SubmitterTest.FakeSlurm();
        Jobs jobs = new Jobs(JobLedger.open(dir), new JobMonitor(Duration.ofMillis(100)));
        Instant old = NOW.minus(SETTINGS.longestSubmit()).minusSeconds(1);
        LedgerEntry created = submitting("dahu", "aaaaaaaa-1", old);
        LedgerEntry neverCreated = submitting("dahu", "bbbbbbbb-2", old);
        LedgerEntry young = submitting("dahu", "cccccccc-3", NOW.minusSeconds(30));
        LedgerEntry elsewhere = submitting("other", "dddddddd-4", old);
        for (LedgerEntry e : List.of(created, neverCreated, young, elsewhere)) jobs.submitting(e);
        slurm.jobs.add(created.scriptPath()); // the killed kernel's sbatch did create this one: id 100

        ClusterProfile profile = new ClusterProfile("dahu", "slurm", "/scratch/me", "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults());
        int resolved = new EarlierSubmissions(jobs, new Submitter(SETTINGS, slurm))
                .resolve(new ClusterSession(profile, new SlurmScheduler(), slurm), NOW);

        assertEquals(2, resolved);
        assertEquals("100", jobs.find(created.key()).orElseThrow().jobId());
        assertTrue(jobs.find(neverCreated.key()).isEmpty(), "a record of a job never created stays");
        assertTrue(jobs.find(young.key()).orElseThrow().isSubmitting(), "a record a live kernel may still resolve was touched");
        assertTrue(jobs.find(elsewhere.key()).orElseThrow().isSubmitting());
        assertEquals(0, slurm.submits, "resolving submitted something");
    }
}
