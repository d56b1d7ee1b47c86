package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.ledger.JobLedger;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.ledger.SubmitClaim;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.util.Log;

/**
 * Jobs across kernel restarts: every submission goes into the ledger before anyone waits on it,
 * following a job (first time or after a restart) reads its files from byte 0 and records how it
 * ended. The live ones this kernel follows are kept by id.
 */
public final class Jobs {
    private final JobLedger ledger;
    private final JobMonitor monitor;
    private final Map<String, TrackedJob> followed = new ConcurrentHashMap<>();

    public Jobs(JobLedger ledger, JobMonitor monitor) {
        this.ledger = ledger;
        this.monitor = monitor;
    }

    /**
     * Records a submission before its submit command runs. A failure (full disk, quota) is thrown:
     * the cell must then not submit, since a job the ledger does not know could be submitted twice.
     */
    public void submitting(LedgerEntry entry) throws IOException {
        ledger.record(entry);
    }

    /** The claim on submitting this cell to this cluster ({@link JobLedger#claim}). */
    public SubmitClaim claim(String cluster, String contentHash, String key, Duration patience, Runnable onWait)
            throws IOException, InterruptedException, SubmitClaim.Busy {
        return ledger.claim(cluster, contentHash, key, patience, onWait);
    }

    /** The submission got its id; a failure to record it is only logged, the SUBMITTING record remains and is resolved later. */
    public LedgerEntry submitted(LedgerEntry submitting, String jobId) {
        LedgerEntry entry = submitting.withJobId(jobId);
        try {
            ledger.record(entry);
        } catch (IOException e) {
            Log.warn("job %s could not be recorded in the ledger: %s", jobId, e.getMessage());
        }
        return entry;
    }

    /** True for an id the ledger holds for another submission on that cluster: a job found by name with it is not a new one. */
    public java.util.function.Predicate<String> takenIds(String cluster, String exceptKey) {
        List<LedgerEntry> all = all();
        return id -> all.stream().anyMatch(e -> id.equals(e.jobId()) && cluster.equals(e.cluster()) && !java.util.Objects.equals(e.key(), exceptKey));
    }

    /** Follows the job from the start of its output; the ledger learns how it ended. */
    public TrackedJob follow(LedgerEntry entry, ClusterSession cluster, JobListener listener) {
        String id = key(entry.cluster(), entry.jobId());
        TrackedJob job = monitor.follow(entry.jobId(), cluster, entry.jobDir(), entry.array() ? entry.tasks() : null, listener);
        followed.put(id, job);
        job.outcome().whenComplete((o, lost) -> {
            followed.remove(id, job); // also when the cell stopped following it: %hpc attach may follow it again
            if (o == null) return;
            try {
                ledger.record(entry.withEnd(o.state().name(), o.exitCode(), Instant.now().toString()));
            } catch (IOException e) {
                Log.warn("end of job %s not recorded: %s", entry.jobId(), e.getMessage());
            }
        });
        return job;
    }

    public Optional<TrackedJob> followed(String cluster, String jobId) {
        return Optional.ofNullable(followed.get(key(cluster, jobId)));
    }

    /**
     * A job of the same cell (same hash, cluster and options) that has not ended: running the cell
     * again attaches to it instead of submitting a duplicate. Its exit marker is checked, so a job
     * that ended while no kernel watched does not count. A submission whose outcome is unknown
     * (SUBMITTING: a kernel stopped during the submit) counts: the caller looks it up.
     */
    public Optional<LedgerEntry> liveDuplicate(ClusterSession cluster, String contentHash) {
        try {
            List<LedgerEntry> all = ledger.all();
            for (int i = all.size() - 1; i >= 0; i--) {
                LedgerEntry e = all.get(i);
                if (e.isLive() && e.cluster().equals(cluster.name()) && contentHash.equals(e.contentHash())
                        && (e.isSubmitting() || !ended(cluster, e))) {
                    return Optional.of(e);
                }
            }
        } catch (IOException e) {
            Log.warn("ledger unreadable: %s", e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean ended(ClusterSession cluster, LedgerEntry e) throws IOException {
        List<Integer> tasks = e.array() ? e.tasks() : java.util.Collections.singletonList(null);
        for (Integer t : tasks) {
            if (cluster.transport().size(e.jobDir() + "/" + JobLayout.exit(t)) < 0) return false;
        }
        return true;
    }

    /** By job id or job key, newest first. */
    public Optional<LedgerEntry> find(String idOrKey) {
        List<LedgerEntry> all = all();
        for (int i = all.size() - 1; i >= 0; i--) {
            LedgerEntry e = all.get(i);
            if (idOrKey.equals(e.jobId()) || idOrKey.equals(e.key())) return Optional.of(e);
        }
        return Optional.empty();
    }

    public List<LedgerEntry> all() {
        try {
            return ledger.all();
        } catch (IOException e) {
            Log.warn("ledger unreadable: %s", e.getMessage());
            return new ArrayList<>();
        }
    }

    public void record(LedgerEntry entry) throws IOException {
        ledger.record(entry);
    }

    public void forget(LedgerEntry entry) throws IOException {
        ledger.remove(entry);
    }

    private static String key(String cluster, String jobId) {
        return cluster + "/" + jobId;
    }
}
