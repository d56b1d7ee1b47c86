package org.hpckernel.hpc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.JobStatus;

/**
 * A submitted job while the monitor follows it. Mutable state is touched by the monitor thread
 * only; {@link #outcome()} and {@link #requestCancel()} are safe from any thread.
 */
public final class TrackedJob {
    final String id;
    final ClusterSession cluster;
    final String jobDir;
    final List<Integer> tasks;
    final Instant submitted;
    final OutputFollower follower;
    final JobListener listener;
    final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
    /** The outcome once accounting (CPU time, memory) is in; may come after {@link #outcome}. */
    final CompletableFuture<JobOutcome> accounted = new CompletableFuture<>();
    final Map<Integer, Integer> exitCodes = new ConcurrentHashMap<>();
    volatile JobStatus status = new JobStatus(JobState.PENDING, "submitted", null, null);
    volatile boolean cancelRequested;
    volatile String connectionProblem;
    Instant started;
    String node;
    Instant lastSchedulerView = Instant.EPOCH;
    Instant endSeenAt;
    Instant lastStatusSent = Instant.EPOCH;

    TrackedJob(String id, ClusterSession cluster, String jobDir, List<Integer> tasks, JobListener listener) {
        this.id = id;
        this.cluster = cluster;
        this.jobDir = jobDir;
        this.tasks = tasks;
        this.submitted = Instant.now();
        this.listener = listener;
        this.follower = new OutputFollower(jobDir, tasks, listener);
    }

    public String id() {
        return id;
    }

    public String jobDir() {
        return jobDir;
    }

    public ClusterSession cluster() {
        return cluster;
    }

    public CompletableFuture<JobOutcome> outcome() {
        return outcome;
    }

    public CompletableFuture<JobOutcome> accounted() {
        return accounted;
    }

    public JobStatus status() {
        return status;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    boolean isArray() {
        return tasks != null;
    }

    int taskCount() {
        return tasks == null ? 1 : tasks.size();
    }
}
