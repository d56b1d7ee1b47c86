package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobAccounting;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.util.Log;

/**
 * Follows every live job of the kernel: one worker per cluster, so a slow, unreachable or
 * prompting cluster never stalls another; each reads its jobs' files every
 * {@code monitoring.followInterval}. Gentle with the scheduler, which a whole centre shares: a
 * running job's end is read from its exit marker (no scheduler call); only jobs that have not
 * started, whose last run failed (is it requeued?) or that are due a refresh are asked about, in
 * one call per cluster per round, backing off from pollMin to pollMax while nothing changes. A
 * failing status command means "unknown, try later", unless it fails for good (the command is
 * missing): then the job's cell ends with the command's message after a few tries.
 *
 * <p>Every job ends: its end is decided from its exit markers once its files are read up to the
 * sizes the markers record (a shared file system may show a file's end late: it is read again,
 * for at most the cluster's file-system lag; an older marker without sizes once the files stop
 * growing, read twice to the end with nothing new), or, when
 * the scheduler has forgotten a job that left no marker, after the cluster's file-system lag; a
 * connection that stays down, or a failure while following one job, ends that job's cell with
 * {@link JobLostException} and touches no other job.
 */
public final class JobMonitor implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = ClusterSession.COMMAND_TIMEOUT;
    private static final Duration STATUS_REFRESH = Duration.ofSeconds(1);
    /** A connection down this long ends the cells that follow its jobs (the jobs may still run). */
    static final Duration CONNECTION_GIVE_UP = Duration.ofMinutes(15);
    /** Consecutive failures (not connection problems) while following one job before its cell ends. */
    static final int MAX_STEP_FAILURES = 3;
    /** Consecutive permanent failures of a cluster's status command before its jobs' cells end. */
    static final int MAX_STATUS_FAILURES = 3;
    /** Reads without growth, after the exit marker, that make a task's output complete. */
    static final int STABLE_READS = 2;
    /** Array tasks whose start marker is looked for per round: the lowest not started, and a rotating window. */
    static final int PROBES_PER_ROUND = 32;
    private static final Duration CANCEL_RETRY_MAX = Duration.ofSeconds(30);
    private static final String GONE = "no longer known to the scheduler";

    private final Clock clock;
    private final Duration floor;
    /** False in tests: rounds run when {@link #round()} is called, commands run inline. */
    private final boolean threaded;
    private final Map<String, ClusterWorker> workers = new ConcurrentHashMap<>();
    private final ExecutorService commandPool;
    private final Executor commands;

    /** @param tick the shortest pause between two rounds of a cluster (a profile's followInterval is used when longer) */
    public JobMonitor(Duration tick) {
        this(Clock.systemUTC(), tick, true, null);
    }

    /** Runs nothing by itself: {@link #round()} does a round of every cluster; commands run inline. */
    JobMonitor(Clock clock) {
        this(clock, Runnable::run);
    }

    /** As {@link #JobMonitor(Clock)}, with scheduler commands run by {@code commands} (when the test says). */
    JobMonitor(Clock clock, Executor commands) {
        this(clock, Duration.ZERO, false, commands);
    }

    private JobMonitor(Clock clock, Duration floor, boolean threaded, Executor inline) {
        this.clock = clock;
        this.floor = floor;
        this.threaded = threaded;
        if (threaded) {
            commandPool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "hpc-scheduler-call");
                t.setDaemon(true);
                return t;
            });
            commands = commandPool;
        } else {
            commandPool = null;
            commands = inline;
        }
    }

    /** How often a cluster's files are read: its profile's followInterval, never more often than the floor. */
    static Duration roundInterval(Duration floor, ClusterProfile.Monitoring monitoring) {
        return max(floor, monitoring.followInterval());
    }

    /** One cluster's jobs, its scheduler polling and its pending cancels, on one thread of its own. */
    private final class ClusterWorker {
        final String name;
        final List<TrackedJob> jobs = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Runnable> applyOnRound = new ConcurrentLinkedQueue<>();
        final List<PendingCancel> cancels = new CopyOnWriteArrayList<>();
        final ScheduledExecutorService thread;
        Duration interval;
        Instant next = Instant.EPOCH;
        /** Counts rounds, so an answer can be told from one asked before what the files showed since. */
        long round;
        final AtomicBoolean inFlight = new AtomicBoolean();
        int permanentFailures;

        ClusterWorker(ClusterSession cluster) {
            this.name = cluster.name();
            this.interval = cluster.profile().monitoring().pollMin();
            if (threaded) {
                thread = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "hpc-monitor-" + name);
                    t.setDaemon(true);
                    return t;
                });
                Duration every = roundInterval(floor, cluster.profile().monitoring());
                thread.scheduleWithFixedDelay(this::round, every.toMillis(), Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
            } else {
                thread = null;
            }
        }

        /** Never throws: a scheduled task that throws is never run again. */
        void round() {
            try {
                round++;
                Runnable r;
                while ((r = applyOnRound.poll()) != null) r.run();
                for (TrackedJob job : jobs) stepContained(job);
                pollScheduler();
                sendCancels();
            } catch (Throwable e) {
                Log.warn(e, "monitoring cluster %s", name);
            }
        }

        private void pollScheduler() {
            Instant now = clock.instant();
            List<TrackedJob> asked = new ArrayList<>();
            for (TrackedJob job : jobs) {
                if (!job.outcome.isDone() && needsScheduler(job, now)) asked.add(job);
            }
            if (asked.isEmpty()) return;
            synchronized (this) {
                if (now.isBefore(next) || !inFlight.compareAndSet(false, true)) return;
            }
            ClusterSession cluster = asked.get(0).cluster;
            long askedInRound = round;
            commands.execute(() -> askScheduler(this, cluster, asked, askedInRound));
        }

        private void sendCancels() {
            Instant now = clock.instant();
            for (PendingCancel c : cancels) {
                if (c.job.outcome.isDone() && !c.job.outcome.isCompletedExceptionally()) {
                    cancels.remove(c); // the job ended: nothing left to cancel
                } else if (!now.isBefore(c.next) && c.inFlight.compareAndSet(false, true)) {
                    commands.execute(() -> attemptCancel(this, c));
                }
            }
        }
    }

    /** A cancel that has not gone through yet: retried with a growing pause while the kernel lives. */
    private static final class PendingCancel {
        final TrackedJob job;
        final AtomicBoolean inFlight = new AtomicBoolean();
        volatile Instant next = Instant.EPOCH;
        volatile int attempts;

        PendingCancel(TrackedJob job) {
            this.job = job;
        }
    }

    public TrackedJob follow(String jobId, ClusterSession cluster, String jobDir, List<Integer> tasks, JobListener listener) {
        TrackedJob job = new TrackedJob(jobId, cluster, jobDir, tasks, listener, clock.instant());
        ClusterWorker worker = workers.computeIfAbsent(cluster.name(), k -> new ClusterWorker(cluster));
        synchronized (worker) {
            worker.interval = cluster.profile().monitoring().pollMin();
            Instant now = clock.instant();
            Instant soon = now.plus(worker.interval);
            if (worker.next.isBefore(now) || worker.next.isAfter(soon)) worker.next = soon;
        }
        worker.jobs.add(job);
        return job;
    }

    public List<TrackedJob> live() {
        List<TrackedJob> all = new ArrayList<>();
        for (ClusterWorker w : workers.values()) all.addAll(w.jobs);
        return all;
    }

    /** Asks the scheduler to cancel, and waits for its answer; the job then ends through the normal path. */
    public CommandResult cancel(TrackedJob job) throws IOException {
        job.requestCancel();
        return job.cluster.cancel(job.id);
    }

    /**
     * Cancels without waiting: the cancel command is sent by the cluster's worker and sent again,
     * with a growing pause, until the scheduler takes it (or says the job is gone), for as long as
     * this kernel lives. Returns at once, whatever state the cluster or the connection is in.
     */
    public void cancelInBackground(TrackedJob job) {
        job.requestCancel();
        ClusterWorker worker = workers.computeIfAbsent(job.cluster.name(), k -> new ClusterWorker(job.cluster));
        worker.cancels.add(new PendingCancel(job));
        if (threaded) worker.thread.execute(worker::sendCancels);
    }

    /** Cancels not yet accepted by the scheduler. */
    public int pendingCancels() {
        int n = 0;
        for (ClusterWorker w : workers.values()) n += w.cancels.size();
        return n;
    }

    /** One round of every cluster (tests; the workers run their own rounds). */
    void round() {
        for (ClusterWorker w : workers.values()) w.round();
    }

    private void attemptCancel(ClusterWorker worker, PendingCancel c) {
        TrackedJob job = c.job;
        boolean retry;
        String problem;
        try {
            CommandResult r = job.cluster.cancel(job.id);
            retry = !r.ok() && (r.timedOut() || job.cluster.scheduler().isTransient(r));
            problem = r.ok() ? null : r.output();
        } catch (IOException | RuntimeException e) {
            retry = true;
            problem = e.toString();
        }
        c.attempts++;
        if (retry) {
            Duration pause = min(Duration.ofSeconds(1L << Math.min(c.attempts, 5)), CANCEL_RETRY_MAX);
            c.next = clock.instant().plus(pause);
            if (c.attempts == 1) Log.warn("cancel of job %s not accepted yet (%s); trying again", job.id, problem);
        } else {
            worker.cancels.remove(c);
            if (problem != null) Log.warn("cancel of job %s refused: %s", job.id, problem);
            askSoon(job, clock.instant()); // the scheduler's next word ends the job
        }
        c.inFlight.set(false);
    }

    // ---------------------------------------------------------------- following one job

    private void stepContained(TrackedJob job) {
        Instant now = clock.instant();
        try {
            step(job, now);
            job.failures = 0;
            job.failingSince = null;
            job.connectionProblem = null;
        } catch (IOException e) {
            // The connection: the transport reconnects on next use; offsets make the resume exact.
            if (job.connectionProblem == null) Log.warn("following job %s: %s", job.id, e.getMessage());
            job.connectionProblem = e.getMessage() == null ? e.toString() : e.getMessage();
            if (job.failingSince == null) job.failingSince = now;
            if (Duration.between(job.failingSince, now).compareTo(CONNECTION_GIVE_UP) > 0) {
                lose(job, "the cluster " + job.cluster.name() + " could not be reached for "
                        + StatusLine.clock(CONNECTION_GIVE_UP) + " (" + job.connectionProblem + ")");
                return;
            }
            sendStatus(job, true);
        } catch (Throwable e) {
            // Contained to this job: the other jobs of the cluster go on being followed.
            job.failures++;
            Log.warn(e, "following job %s (failure %d of %d)", job.id, job.failures, MAX_STEP_FAILURES);
            if (job.failures >= MAX_STEP_FAILURES) lose(job, "following it failed: " + e);
        }
    }

    /** Ends the job's cell without an outcome: the job itself may still run (%hpc attach finds it again). */
    private void lose(TrackedJob job, String why) {
        remove(job);
        JobLostException lost = new JobLostException("job " + job.id + " on " + job.cluster.name() + " is no longer followed: "
                + why + ". It may still run: %hpc jobs shows it, %hpc attach " + job.id + " follows it again.");
        job.outcome.completeExceptionally(lost);
        job.accounted.completeExceptionally(lost);
    }

    private void remove(TrackedJob job) {
        ClusterWorker w = workers.get(job.cluster.name());
        if (w != null) w.jobs.remove(job);
    }

    private void step(TrackedJob job, Instant now) throws IOException {
        if (job.outcome.isDone()) {
            remove(job);
            return;
        }
        if (job.statusBroken != null && !allExited(job)) {
            lose(job, "the scheduler's status command keeps failing: " + job.statusBroken);
            return;
        }
        probeStarts(job);
        boolean allDrained = true;
        for (TrackedJob.Task t : job.taskProgress()) {
            if (t.active() || (job.ending && !t.drained)) follow(job, t);
            if (!t.drained) allDrained = false;
        }
        decideEnd(job, now);
        if (job.ending && allDrained) {
            finish(job);
            return;
        }
        sendStatus(job, false);
    }

    /**
     * Reads what is new of a task, and its exit marker. A marker that records the files' sizes
     * drains the task as soon as they are read up to those sizes (read again at once when the
     * marker came in after this round's read), and waits for a lagging file system's view to reach
     * them for at most the cluster's file-system lag; without sizes (an older job.sh, a payload
     * stopped by a signal), the task is drained after {@link #STABLE_READS} reads without growth.
     */
    private void follow(TrackedJob job, TrackedJob.Task t) throws IOException {
        Transport transport = job.cluster.transport();
        boolean grew = job.follower.poll(transport, t.index);
        if (t.exitCode == null && t.started()) {
            readExit(job, t);
            if (t.exitCode != null && t.sizes == null) return; // reads that count come after the marker
            if (t.exitCode != null && job.follower.shortOf(t.index, t.sizes).isPresent()) {
                job.follower.poll(transport, t.index); // written between this round's read and the marker
            }
        }
        if (t.exitCode == null && !job.ending) return;
        if (t.exitCode != null && t.sizes != null) {
            Optional<String> shortFile = job.follower.shortOf(t.index, t.sizes);
            if (shortFile.isPresent()) {
                Duration lag = job.cluster.profile().monitoring().fileSystemLag();
                if (Duration.between(t.exitReadAt, clock.instant()).compareTo(lag) <= 0) return;
                t.shortRead = shortFile.get() + " after waiting " + StatusLine.clock(lag) + " (the file-system lag)";
                Log.warn("job %s: %s", job.id, t.shortRead);
            }
            drain(job, t);
            return;
        }
        t.stable = grew ? 0 : t.stable + 1;
        if (t.stable >= STABLE_READS) drain(job, t);
    }

    private static void drain(TrackedJob job, TrackedJob.Task t) throws IOException {
        job.follower.finishTask(job.cluster.transport(), t.index);
        t.drained = true;
    }

    /**
     * Start markers: a plain job's until seen; for an array, a bounded number per round (the lowest
     * tasks not started, which usually start first, and a rotating window over the others), so
     * the file operations per round grow with the running tasks, not with the array's size.
     */
    private void probeStarts(TrackedJob job) throws IOException {
        if (!job.isArray()) {
            TrackedJob.Task t = job.progress.get(null);
            if (!t.started() && !job.ending) readStarted(job, t);
            if (t.started() && t.exitCode == null) return;
            // A start marker a shared file system has not shown yet: the exit marker may come first.
            if (!t.started() && t.exitCode == null && schedulerSaysOver(job)) readExit(job, t);
            return;
        }
        if (job.ending) return;
        List<TrackedJob.Task> waiting = new ArrayList<>();
        for (TrackedJob.Task t : job.taskProgress()) if (!t.started()) waiting.add(t);
        if (waiting.isEmpty()) return;
        int budget = schedulerSaysOver(job) ? PROBES_PER_ROUND * 8 : PROBES_PER_ROUND;
        int lowest = Math.min(waiting.size(), budget / 2);
        for (int i = 0; i < lowest; i++) readStarted(job, waiting.get(i));
        int rest = waiting.size() - lowest;
        for (int i = 0; i < Math.min(rest, budget - lowest); i++) {
            job.probeCursor = (job.probeCursor % rest);
            readStarted(job, waiting.get(lowest + job.probeCursor));
            job.probeCursor++;
        }
    }

    private void readStarted(TrackedJob job, TrackedJob.Task t) throws IOException {
        Optional<byte[]> marker = job.cluster.transport().readFile(job.jobDir + "/" + JobLayout.started(t.index));
        if (marker.isEmpty()) return;
        String[] words = ExitMarker.words(marker.get());
        int run = ExitMarker.runAt(words, 2);
        if (run <= t.staleRun) return; // the requeued run's marker, before the new run replaces it
        t.run = run;
        t.drained = false;
        t.stable = 0;
        t.sizes = null;
        t.shortRead = null;
        job.markersRound = currentRound(job);
        if (job.started == null) job.started = clock.instant();
        if (words.length > 1) job.node = words[1];
        String reason = job.requeues > 0 ? "requeued, run " + run : null;
        JobStatus running = new JobStatus(JobState.RUNNING, reason, job.node, null);
        if (running.equals(job.status)) return;
        job.status = running;
        // Once per change, not once per array task: the status line is rebuilt from every task.
        sendStatus(job, true);
    }

    private void readExit(TrackedJob job, TrackedJob.Task t) throws IOException {
        Optional<byte[]> bytes = job.cluster.transport().readFile(job.jobDir + "/" + JobLayout.exit(t.index));
        if (bytes.isEmpty()) return;
        ExitMarker marker = ExitMarker.parse(bytes.get());
        int run = marker.run();
        if (run <= t.staleRun || run < t.run) return; // a stale marker of an earlier run
        // Half written (an older job.sh wrote it in place) or not yet visible whole on a shared
        // file system: not an end. One that never becomes readable ends as the scheduler says.
        if (marker.code() == null) return;
        int code = marker.code();
        if (!t.started()) t.run = run; // its start marker was not visible yet (shared file system)
        t.exitCode = code;
        t.stable = 0;
        t.sizes = marker.sizes().orElse(null);
        t.exitReadAt = clock.instant();
        job.markersRound = currentRound(job);
        job.exitCodes.put(t.key(), code);
        if (job.node == null && marker.host() != null) job.node = marker.host();
    }

    private long currentRound(TrackedJob job) {
        ClusterWorker w = workers.get(job.cluster.name());
        return w == null ? 0 : w.round;
    }

    private static boolean allExited(TrackedJob job) {
        for (TrackedJob.Task t : job.taskProgress()) if (t.exitCode == null) return false;
        return true;
    }

    private static boolean schedulerSaysOver(TrackedJob job) {
        return job.schedulerForgot || (job.schedulerSaw != null && job.schedulerSaw.state().isFinal());
    }

    /**
     * When the end is known: every exit marker in and none failed (at once); a failed last run
     * once the scheduler says it will not run again (else it is a requeue); no marker but the
     * scheduler has forgotten the job, after the file-system lag (at once for a cancel).
     */
    private void decideEnd(TrackedJob job, Instant now) {
        if (job.ending) return;
        Duration lag = job.cluster.profile().monitoring().fileSystemLag();
        if (allExited(job)) {
            boolean failed = job.taskProgress().stream().anyMatch(t -> t.exitCode != 0);
            if (!failed || job.cancelRequested || job.endConfirmed || job.statusBroken != null) {
                job.ending = true;
                return;
            }
            if (job.verdictSince == null) {
                job.verdictSince = now;
                askSoon(job, now);
            }
            if (Duration.between(job.verdictSince, now).compareTo(lag) > 0) job.ending = true;
            return;
        }
        if (!schedulerSaysOver(job)) {
            job.endSeenAt = null;
            return;
        }
        if (job.endSeenAt == null) job.endSeenAt = now;
        if (job.cancelRequested || Duration.between(job.endSeenAt, now).compareTo(lag) > 0) {
            boolean everStarted = job.started != null;
            JobState said = job.schedulerSaw != null && job.schedulerSaw.state().isFinal() && !job.schedulerForgot
                    ? job.schedulerSaw.state() : null;
            job.endState = said != null ? said : job.cancelRequested ? JobState.CANCELLED
                    : everStarted ? JobState.NODE_FAIL : JobState.FAILED;
            for (TrackedJob.Task t : job.taskProgress()) {
                if (t.exitCode == null && t.staleCode != null) {
                    t.exitCode = t.staleCode;
                    job.exitCodes.put(t.key(), t.staleCode);
                }
            }
            job.ending = true;
        }
    }

    /** The scheduler's next word is needed now, whatever its back-off. */
    private void askSoon(TrackedJob job, Instant now) {
        ClusterWorker w = workers.get(job.cluster.name());
        if (w == null) return;
        synchronized (w) {
            if (w.next.isAfter(now)) w.next = now;
        }
    }

    /** The scheduler runs the job again: the failed runs' markers are stale, their output stays. */
    private void requeued(TrackedJob job) {
        boolean any = false;
        for (TrackedJob.Task t : job.taskProgress()) {
            boolean failedRun = t.exitCode != null && t.exitCode != 0;
            boolean lostRun = !job.isArray() && t.started() && t.exitCode == null;
            if (!failedRun && !lostRun) continue;
            t.staleRun = Math.max(t.staleRun, t.run);
            t.staleCode = t.exitCode;
            t.exitCode = null;
            t.run = 0;
            t.stable = 0;
            t.sizes = null;
            t.shortRead = null;
            job.exitCodes.remove(t.key());
            any = true;
        }
        if (!any) return;
        job.requeues++;
        job.verdictSince = null;
        job.endSeenAt = null;
        job.endConfirmed = false;
        job.status = new JobStatus(JobState.PENDING, "requeued", job.node, null);
        Log.info("job %s was requeued (run %d follows)", job.id, job.requeues + 1);
        sendStatus(job, true);
    }

    private boolean needsScheduler(TrackedJob job, Instant now) {
        if (job.ending) return false;
        boolean unstarted = job.taskProgress().stream().anyMatch(t -> !t.started() && t.exitCode == null);
        Duration cap = job.cluster.profile().monitoring().pollMax();
        return unstarted || job.verdictSince != null || schedulerSaysOver(job)
                || Duration.between(job.lastSchedulerView, now).compareTo(cap) >= 0;
    }

    private void askScheduler(ClusterWorker worker, ClusterSession cluster, List<TrackedJob> asked, long askedInRound) {
        List<String> ids = asked.stream().map(j -> j.id).toList();
        Map<String, JobStatus> answer = null;
        String problem = null;
        boolean permanent = false;
        try {
            answer = cluster.status(ids);
        } catch (SchedulerException e) {
            problem = e.getMessage();
            permanent = !e.isTransient();
        } catch (IOException e) {
            problem = e.getMessage() == null ? e.toString() : e.getMessage();
            // Over SSH an IOException is the connection (it comes back); a local command that
            // cannot be started (not on PATH) will not start on the next try either.
            permanent = !cluster.profile().isRemote();
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        Map<String, JobStatus> result = answer;
        String failure = problem;
        boolean forGood = permanent;
        worker.applyOnRound.add(() -> applyAnswer(worker, cluster, asked, askedInRound, result, failure, forGood));
    }

    private void applyAnswer(ClusterWorker worker, ClusterSession cluster, List<TrackedJob> asked, long askedInRound,
            Map<String, JobStatus> result, String failure, boolean permanent) {
        boolean changed = false;
        Instant now = clock.instant();
        if (result == null) {
            worker.permanentFailures = permanent ? worker.permanentFailures + 1 : 0;
            for (TrackedJob job : asked) {
                if (worker.permanentFailures >= MAX_STATUS_FAILURES) {
                    job.statusBroken = failure;
                } else {
                    job.status = new JobStatus(job.status.state(), "scheduler not answering (" + failure + "); retrying",
                            job.status.node(), null);
                }
            }
        } else {
            worker.permanentFailures = 0;
            for (TrackedJob job : asked) {
                if (job.outcome.isDone()) continue;
                job.lastSchedulerView = now;
                JobStatus s = result.get(job.id);
                JobStatus before = job.status;
                if (askedInRound >= job.markersRound) verdict(job, s);
                job.schedulerSaw = s;
                job.schedulerForgot = s == null;
                JobStatus next = s != null ? refine(job, s) : new JobStatus(job.status.state(), GONE, job.status.node(), null);
                if (job.requeues > 0 && next.state() == JobState.PENDING) {
                    next = new JobStatus(JobState.PENDING, "requeued", next.node(), null);
                }
                if (!next.equals(before)) changed = true;
                job.status = next;
            }
        }
        synchronized (worker) {
            Duration min = cluster.profile().monitoring().pollMin();
            Duration max = cluster.profile().monitoring().pollMax();
            worker.interval = changed ? min : min(worker.interval.multipliedBy(2), max);
            worker.next = now.plus(worker.interval);
            worker.inFlight.set(false);
        }
    }

    /**
     * What the scheduler's answer means for a job whose last run failed or vanished (only an answer
     * asked after the markers last changed: a "pending" asked before the start marker showed is
     * not a requeue, it is the queue the job has just left): pending again
     * (or running a newer run than the failed one) is a requeue; over or forgotten confirms the end.
     * Running with no newer start marker is a job still tearing down: asked again.
     */
    private void verdict(TrackedJob job, JobStatus s) {
        boolean startedNoExit = !job.isArray() && job.progress.get(null).started() && job.progress.get(null).exitCode == null;
        if (job.verdictSince == null && !(startedNoExit && s != null && s.state() == JobState.PENDING)) return;
        if (s == null || s.state().isFinal()) {
            job.endConfirmed = true;
        } else if (s.state() == JobState.PENDING) {
            requeued(job);
        } else if (s.state() == JobState.RUNNING && newerRunStarted(job)) {
            requeued(job);
        }
    }

    /** A failed task whose start marker already shows a later run. */
    private boolean newerRunStarted(TrackedJob job) {
        for (TrackedJob.Task t : job.taskProgress()) {
            if (t.exitCode == null || t.exitCode == 0) continue;
            try {
                Optional<byte[]> marker = job.cluster.transport().readFile(job.jobDir + "/" + JobLayout.started(t.index));
                if (marker.isPresent() && ExitMarker.runAt(ExitMarker.words(marker.get()), 2) > t.run) return true;
            } catch (IOException e) {
                return false; // asked again next round
            }
        }
        return false;
    }

    /** A job the scheduler runs but whose script has not written its start marker is still starting. */
    private static JobStatus refine(TrackedJob job, JobStatus s) {
        boolean anyStarted = job.started != null && job.taskProgress().stream().anyMatch(TrackedJob.Task::started);
        if (s.state() == JobState.RUNNING && !anyStarted) {
            String reason = job.cluster.scheduler().name().equals("local") ? "waiting for a free core" : "starting";
            return new JobStatus(JobState.PENDING, reason, s.node(), null);
        }
        return s;
    }

    private void finish(TrackedJob job) {
        remove(job);
        List<String> shortFiles = job.taskProgress().stream().filter(t -> t.shortRead != null)
                .map(t -> (t.index == null ? "" : "task " + t.index + ": ") + t.shortRead).toList();
        if (!shortFiles.isEmpty()) {
            // The job ended, but what the cell shows is not all it wrote: an error, never a silent cut.
            JobLostException incomplete = new JobLostException("job " + job.id + " on " + job.cluster.name()
                    + " ended, but its output could not be read whole (" + String.join("; ", shortFiles.subList(0, Math.min(3, shortFiles.size())))
                    + (shortFiles.size() > 3 ? "; and " + (shortFiles.size() - 3) + " more tasks" : "")
                    + "): the cell's output is incomplete. The files keep everything: %hpc logs " + job.id
                    + " reads them again; a longer monitoring.fileSystemLag in the cluster profile waits longer.");
            job.outcome.completeExceptionally(incomplete);
            job.accounted.completeExceptionally(incomplete);
            return;
        }
        Map<Integer, Integer> codes = new TreeMap<>(job.exitCodes);
        boolean allZero = !codes.isEmpty() && codes.size() == job.taskCount() && codes.values().stream().allMatch(c -> c == 0);
        Integer exitCode = job.isArray() ? (allZero ? Integer.valueOf(0) : codes.values().stream().filter(c -> c != 0).findFirst().orElse(null))
                : codes.get(-1);
        JobState state;
        if (job.endState != null) {
            state = job.endState;
        } else if (allZero) {
            state = JobState.COMPLETED;
        } else {
            state = job.cancelRequested ? JobState.CANCELLED : JobState.FAILED;
        }
        JobState provisional = state;
        Duration elapsed = job.started == null ? Duration.ZERO : Duration.between(job.started, clock.instant());
        if (provisional == JobState.COMPLETED) {
            // Success is certain from the markers; accounting only adds CPU time and memory, so the
            // cell need not wait for it: the status line is updated when it arrives.
            JobOutcome quick = new JobOutcome(job.id, provisional, exitCode, null, job.node, elapsed, null, null, codes);
            job.status = new JobStatus(quick.state(), null, quick.node(), quick.exitCode());
            sendStatus(job, true);
            job.outcome.complete(quick);
        }
        commands.execute(() -> {
            JobOutcome outcome;
            try {
                outcome = settle(job, provisional, exitCode, elapsed, codes);
            } catch (Throwable e) {
                Log.warn(e, "accounting for job %s", job.id);
                outcome = new JobOutcome(job.id, provisional, exitCode, null, job.node, elapsed, null, null, codes);
            }
            if (!job.outcome.isDone()) {
                job.status = new JobStatus(outcome.state(), outcome.reason(), outcome.node(), outcome.exitCode());
                sendStatus(job, true);
                job.outcome.complete(outcome);
            }
            job.accounted.complete(outcome);
        });
    }

    /**
     * One last word from the scheduler where it helps: accounting (CPU time, memory, and the
     * real end state: TIMEOUT or OUT_OF_MEMORY look like a plain non-zero exit from inside the job).
     */
    private JobOutcome settle(TrackedJob job, JobState state, Integer exitCode, Duration elapsed, Map<Integer, Integer> codes) {
        ClusterSession c = job.cluster;
        String reason = job.cancelRequested ? "cancelled on request" : null;
        if (reason == null && job.requeues > 0) reason = "requeued " + job.requeues + (job.requeues == 1 ? " time" : " times");
        Duration cpu = null;
        Long mem = null;
        String node = job.node;
        try {
            Optional<List<String>> acct = c.scheduler().accountingCommand(job.id);
            if (acct.isPresent()) {
                Optional<JobAccounting> a = c.scheduler().parseAccounting(c.transport().run(acct.get(), COMMAND_TIMEOUT), job.id);
                if (a.isPresent()) {
                    JobAccounting info = a.get();
                    // Accounting may name a failure more precisely (TIMEOUT, OUT_OF_MEMORY…), but a
                    // job whose markers say it failed never becomes COMPLETED (slurmdbd can lag behind
                    // an array's last tasks).
                    if (info.state() != null && info.state().isFinal() && state != JobState.COMPLETED
                            && info.state() != JobState.COMPLETED) {
                        state = info.state();
                    }
                    cpu = info.cpuTime();
                    mem = info.maxMemoryBytes();
                    if (info.elapsed() != null) elapsed = info.elapsed();
                    if (node == null) node = info.node();
                }
            }
            if (state == JobState.FAILED && !job.cancelRequested && job.statusBroken == null) {
                JobStatus s = c.status(List.of(job.id)).get(job.id);
                if (s != null && s.state().isFinal() && s.state() != JobState.COMPLETED) {
                    state = s.state();
                    if (s.reason() != null && !s.reason().equals("None")) reason = s.reason();
                }
            }
        } catch (IOException | SchedulerException | RuntimeException e) {
            Log.debug("accounting for job %s unavailable: %s", job.id, e.getMessage());
        }
        if (exitCode != null && exitCode == 143 && state == JobState.FAILED && reason == null) {
            reason = "terminated by SIGTERM (cancelled or out of time)";
        }
        return new JobOutcome(job.id, state, exitCode, reason, node, elapsed, cpu, mem, codes);
    }

    private void sendStatus(TrackedJob job, boolean force) {
        Instant now = clock.instant();
        if (!force && Duration.between(job.lastStatusSent, now).compareTo(STATUS_REFRESH) < 0) return;
        job.lastStatusSent = now;
        Duration elapsed = job.started == null ? Duration.between(job.submitted, now) : Duration.between(job.started, now);
        Map<JobState, Integer> tasks = new EnumMap<>(JobState.class);
        if (job.isArray()) {
            for (TrackedJob.Task t : job.taskProgress()) {
                JobState s = t.exitCode != null ? (t.exitCode == 0 ? JobState.COMPLETED : JobState.FAILED)
                        : t.started() ? JobState.RUNNING : JobState.PENDING;
                tasks.merge(s, 1, Integer::sum);
            }
        }
        JobStatus s = job.status;
        String reason = s.reason();
        if (job.verdictSince != null && !job.ending && reason == null) reason = "ending";
        try {
            job.listener.onStatus(new JobView(job.id, job.cluster.name(), s.state(), reason,
                    s.node() != null ? s.node() : job.node, elapsed, tasks, job.connectionProblem));
        } catch (RuntimeException e) {
            Log.warn(e, "status listener failed for job %s", job.id);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        for (ClusterWorker w : workers.values()) {
            if (w.thread != null) w.thread.shutdownNow();
        }
        if (commandPool != null) commandPool.shutdownNow();
    }
}
