package org.hpckernel.hpc;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.JobStatus;

/**
 * A submitted job while the monitor follows it. Mutable state is touched by its cluster's monitor
 * worker only; {@link #outcome()}, {@link #status()} and {@link #requestCancel()} are safe from
 * any thread.
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
    /** Exit codes of the tasks whose last run has ended: index (-1 for a plain job) → code. */
    final Map<Integer, Integer> exitCodes = new ConcurrentHashMap<>();
    /** Per task (key null for a plain job), in index order. */
    final Map<Integer, Task> progress = new LinkedHashMap<>();
    volatile JobStatus status = new JobStatus(JobState.PENDING, "submitted", null, null);
    volatile boolean cancelRequested;
    volatile String connectionProblem;
    Instant started;
    String node;
    Instant lastSchedulerView = Instant.EPOCH;
    Instant lastStatusSent = Instant.EPOCH;
    /** What the scheduler last said, unrefined; null before the first answer. */
    JobStatus schedulerSaw;
    /** The scheduler no longer knows the job (finished and purged). */
    boolean schedulerForgot;
    /** Since when the scheduler says the job is over while exit markers are missing (file-system lag). */
    Instant endSeenAt;
    /** Since when every task has an exit marker and one failed: does the scheduler run it again? */
    Instant verdictSince;
    /** The monitor round in which a start or exit marker last changed what is known of a task. */
    long markersRound;
    /** The scheduler said the failed run was the last one. */
    boolean endConfirmed;
    /** The end is decided: the remaining files are read until they stop growing, then the cell ends. */
    boolean ending;
    /** The end state when it does not come from exit markers (the scheduler's, or a lost node's). */
    JobState endState;
    int requeues;
    /** The status command keeps failing for good (not "try later"): its message. */
    String statusBroken;
    int failures;
    Instant failingSince;
    /** Where the next look for array tasks' start markers begins (a rotating window). */
    int probeCursor;

    /** One task's run: which run's start marker was seen, how it ended, whether its files are read to the end. */
    static final class Task {
        final Integer index;
        /** Run number of the start marker seen for the current run; 0 while it has not started. */
        int run;
        Integer exitCode;
        /** Markers of runs up to this one belong to a run that was requeued. */
        int staleRun;
        /** The requeued run's exit code, used if the scheduler forgets the job before a new run shows. */
        Integer staleCode;
        /** Consecutive reads without growth since the exit marker was read (a marker without sizes). */
        int stable;
        /** The files' sizes the exit marker recorded: read up to them, the task is drained; null for an older marker. */
        ExitMarker.Sizes sizes;
        /** When the exit marker was read: its sizes are waited for up to the file-system lag from then. */
        Instant exitReadAt;
        /** Which file stayed short of its recorded size past the file-system lag; the cell ends saying so. */
        String shortRead;
        /** Read to the end after its exit: its files are no longer read. */
        boolean drained;

        Task(Integer index) {
            this.index = index;
        }

        boolean started() {
            return run > 0;
        }

        /** Worth reading: started and not yet read to the end. */
        boolean active() {
            return started() && !drained;
        }

        int key() {
            return index == null ? -1 : index;
        }
    }

    TrackedJob(String id, ClusterSession cluster, String jobDir, List<Integer> tasks, JobListener listener, Instant now) {
        this.id = id;
        this.cluster = cluster;
        this.jobDir = jobDir;
        this.tasks = tasks;
        this.submitted = now;
        this.listener = listener;
        this.follower = new OutputFollower(jobDir, tasks, listener, cluster.profile().monitoring().outputCap());
        if (tasks == null) {
            progress.put(null, new Task(null));
        } else {
            for (Integer i : tasks) progress.put(i, new Task(i));
        }
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

    /** How many times the scheduler has run the job again (requeue, preemption, node failure). */
    public int requeues() {
        return requeues;
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

    Collection<Task> taskProgress() {
        return progress.values();
    }
}
