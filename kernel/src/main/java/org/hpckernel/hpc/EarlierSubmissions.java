package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.util.Log;

/**
 * Submissions that an earlier kernel started and never learnt the outcome of (it was killed
 * during the submit). Once this kernel has connected to their cluster they are looked up as an
 * ambiguous submit is: found, the ledger gets the job's id and the job is an ordinary one
 * ({@code %hpc jobs}, attach, cancel); not found over the settle window, the record goes. A record
 * younger than the longest submit a live kernel can still be in is left alone: that kernel, or
 * running the same cell again, resolves it.
 */
public final class EarlierSubmissions {
    private final Jobs jobs;
    private final Submitter submitter;

    public EarlierSubmissions(Jobs jobs, Submitter submitter) {
        this.jobs = jobs;
        this.submitter = submitter;
    }

    /** Resolves on a daemon thread: a slow or unreachable scheduler never holds up a cell. */
    public void resolveInBackground(ClusterSession cluster) {
        Thread t = new Thread(() -> {
            try {
                resolve(cluster, Instant.now());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                Log.warn("earlier submissions on %s not resolved: %s", cluster.name(), e);
            }
        }, "earlier-submissions-" + cluster.name());
        t.setDaemon(true);
        t.start();
    }

    /** The number of records resolved (found or gone). */
    public int resolve(ClusterSession cluster, Instant now) throws InterruptedException {
        Duration abandoned = submitter.settings().longestSubmit();
        int resolved = 0;
        for (LedgerEntry e : jobs.all()) {
            if (!e.isSubmitting() || !cluster.name().equals(e.cluster()) || !olderThan(e, now, abandoned)) continue;
            String script = e.scriptPath() != null ? e.scriptPath() : e.jobDir() + "/" + JobLayout.SCRIPT;
            try {
                Optional<String> id = submitter.resolve(cluster, new Submitter.Target(e.jobName(), script),
                        jobs.takenIds(cluster.name(), e.key()));
                if (id.isPresent()) {
                    jobs.submitted(e, id.get());
                    Log.info("earlier submission %s on %s is job %s", e.key(), cluster.name(), id.get());
                } else {
                    jobs.forget(e);
                    Log.info("earlier submission %s on %s created no job: record removed", e.key(), cluster.name());
                }
                resolved++;
            } catch (Submitter.Unresolved | IOException x) {
                Log.warn("earlier submission %s on %s still unresolved: %s", e.key(), cluster.name(), x.getMessage());
            }
        }
        return resolved;
    }

    private static boolean olderThan(LedgerEntry e, Instant now, Duration age) {
        try {
            return e.submitted() != null && Instant.parse(e.submitted()).plus(age).isBefore(now);
        } catch (DateTimeParseException x) {
            return false;
        }
    }
}
