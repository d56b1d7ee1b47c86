package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.util.Log;

/**
 * Submits a packaged job, once. A submit command that timed out may still have reached the
 * scheduler, so before trying again it asks for a job of that name: no job is ever submitted
 * twice. Only failures the scheduler calls transient are retried.
 */
public final class Submitter {
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 3;

    private Submitter() {}

    public static String submit(ClusterSession cluster, JobPackage job) throws SchedulerException, IOException {
        SchedulerException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            CommandResult r;
            try {
                r = cluster.transport().run(cluster.scheduler().submitCommand(job.spec(), job.scriptPath()), SUBMIT_TIMEOUT);
            } catch (IOException e) {
                // The connection dropped under the submit: it may or may not have reached the scheduler.
                if (attempt == ATTEMPTS) throw e;
                Log.warn("submit of %s on %s interrupted (%s); checking before trying again", job.key(), cluster.name(), e.getMessage());
                backoff(attempt);
                Optional<String> id = findByName(cluster, job.spec().jobName());
                if (id.isPresent()) return id.get();
                continue;
            }
            if (r.timedOut()) {
                Optional<String> id = findByName(cluster, job.spec().jobName());
                if (id.isPresent()) return id.get();
                last = new SchedulerException("submitting timed out after " + SUBMIT_TIMEOUT.toSeconds() + " s", true);
            } else if (!r.ok() && cluster.scheduler().isTransient(r)) {
                last = new SchedulerException(r.output(), true);
            } else {
                return cluster.scheduler().parseJobId(r, job.spec());
            }
            Log.warn("submit of %s on %s failed (%s), attempt %d of %d", job.key(), cluster.name(), last.getMessage(), attempt, ATTEMPTS);
            backoff(attempt);
        }
        throw new SchedulerException("the scheduler of " + cluster.name() + " did not accept the job after " + ATTEMPTS
                + " attempts: " + last.getMessage(), true);
    }

    private static Optional<String> findByName(ClusterSession cluster, String name) throws IOException {
        CommandResult r = cluster.transport().run(cluster.scheduler().findByNameCommand(name), SUBMIT_TIMEOUT);
        return r.ok() ? cluster.scheduler().parseFindByName(r, name) : Optional.empty();
    }

    /** A real pause between attempts on a busy scheduler controller (1 s, then 2 s). */
    private static void backoff(int attempt) throws IOException {
        if (attempt >= ATTEMPTS) return;
        try {
            Thread.sleep(1000L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to resubmit", e);
        }
    }
}
