package org.hpckernel.hpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hpckernel.hpc.scheduler.JobAccounting;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.util.Log;

/**
 * Follows every live job of the kernel from one thread. Gentle with the scheduler, which a whole
 * centre shares: a running job's end is read from its exit marker (no scheduler call); only jobs
 * that have not started are asked about, in one call per cluster per round, backing off from
 * pollMin to pollMax while nothing changes. A failing status command means "unknown, try later",
 * never "failed".
 */
public final class JobMonitor implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** How long a job the scheduler calls finished may take to show its exit marker (NFS lag). */
    private static final Duration MARKER_GRACE = Duration.ofSeconds(10);
    private static final Duration STATUS_REFRESH = Duration.ofSeconds(1);

    private final List<TrackedJob> jobs = new CopyOnWriteArrayList<>();
    private final Map<String, ClusterPoll> polls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> applyOnTick = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService ticker;
    private final ExecutorService commands = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hpc-scheduler-call");
        t.setDaemon(true);
        return t;
    });

    /** Per cluster: when to ask next, and whether a call is in flight. */
    private static final class ClusterPoll {
        Duration interval;
        Instant next = Instant.EPOCH;
        final AtomicBoolean inFlight = new AtomicBoolean();

        ClusterPoll(Duration first) {
            this.interval = first;
        }
    }

    public JobMonitor(Duration tick) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hpc-job-monitor");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    public TrackedJob follow(String jobId, ClusterSession cluster, String jobDir, List<Integer> tasks, JobListener listener) {
        TrackedJob job = new TrackedJob(jobId, cluster, jobDir, tasks, listener);
        ClusterPoll poll = polls.computeIfAbsent(cluster.name(), k -> new ClusterPoll(cluster.profile().monitoring().pollMin()));
        synchronized (poll) {
            poll.interval = cluster.profile().monitoring().pollMin();
            Instant soon = Instant.now().plus(poll.interval);
            if (poll.next.isBefore(Instant.now()) || poll.next.isAfter(soon)) poll.next = soon;
        }
        jobs.add(job);
        return job;
    }

    public List<TrackedJob> live() {
        return List.copyOf(jobs);
    }

    /** Asks the scheduler to cancel; the job then ends as CANCELLED through the normal path. */
    public CommandResult cancel(TrackedJob job) throws IOException {
        job.requestCancel();
        return job.cluster.transport().run(job.cluster.scheduler().cancelCommand(job.id), COMMAND_TIMEOUT);
    }

    private void tick() {
        Runnable r;
        while ((r = applyOnTick.poll()) != null) r.run();
        for (TrackedJob job : jobs) {
            try {
                step(job);
                job.connectionProblem = null;
            } catch (IOException | RuntimeException e) {
                if (job.connectionProblem == null) Log.warn("following job %s: %s", job.id, e.getMessage());
                job.connectionProblem = e.getMessage() == null ? e.toString() : e.getMessage();
                sendStatus(job, true);
            }
        }
        pollSchedulers();
    }

    private void step(TrackedJob job) throws IOException {
        if (job.outcome.isDone()) {
            jobs.remove(job);
            return;
        }
        job.follower.poll(job.cluster.transport());
        if (job.started == null) readStarted(job);
        readExitMarkers(job);
        if (job.exitCodes.size() == job.taskCount()) {
            finish(job, null);
            return;
        }
        JobState seen = job.status.state();
        boolean gone = job.status.reason() != null && job.status.reason().equals(GONE);
        if (seen.isFinal() || gone) {
            if (job.started == null) {
                finish(job, gone ? (job.cancelRequested ? JobState.CANCELLED : JobState.FAILED) : seen);
                return;
            }
            if (job.endSeenAt == null) job.endSeenAt = Instant.now();
            if (Duration.between(job.endSeenAt, Instant.now()).compareTo(MARKER_GRACE) > 0) {
                finish(job, seen.isFinal() ? seen : JobState.NODE_FAIL);
                return;
            }
        }
        sendStatus(job, false);
    }

    private static final String GONE = "no longer known to the scheduler";

    private void readStarted(TrackedJob job) throws IOException {
        if (job.isArray()) {
            for (Integer i : job.tasks) {
                Optional<byte[]> marker = job.cluster.transport().readFile(job.jobDir + "/" + JobLayout.started(i));
                if (marker.isPresent()) {
                    markStarted(job, marker.get());
                    return;
                }
            }
            return;
        }
        job.cluster.transport().readFile(job.jobDir + "/" + JobLayout.started(null)).ifPresent(m -> markStarted(job, m));
    }

    private void markStarted(TrackedJob job, byte[] marker) {
        String[] words = new String(marker, StandardCharsets.UTF_8).strip().split("\\s+");
        job.started = Instant.now();
        job.node = words.length > 1 ? words[1] : null;
        job.status = new JobStatus(JobState.RUNNING, null, job.node, null);
    }

    private void readExitMarkers(TrackedJob job) throws IOException {
        List<Integer> indices = job.isArray() ? job.tasks : java.util.Collections.singletonList(null);
        for (Integer i : indices) {
            int key = i == null ? -1 : i;
            if (job.exitCodes.containsKey(key)) continue;
            // A task's exit marker is only looked for once its job has started.
            if (job.started == null && !job.status.state().isFinal()) return;
            Optional<byte[]> marker = job.cluster.transport().readFile(job.jobDir + "/" + JobLayout.exit(i));
            if (marker.isPresent()) {
                String[] words = new String(marker.get(), StandardCharsets.UTF_8).strip().split("\\s+");
                try {
                    job.exitCodes.put(key, Integer.parseInt(words[0]));
                } catch (NumberFormatException e) {
                    job.exitCodes.put(key, 255);
                }
                if (job.node == null && words.length > 2) job.node = words[2];
            }
        }
    }

    private void pollSchedulers() {
        Instant now = Instant.now();
        Map<String, List<TrackedJob>> byCluster = new HashMap<>();
        for (TrackedJob job : jobs) {
            if (job.outcome.isDone()) continue;
            Duration cap = job.cluster.profile().monitoring().pollMax();
            boolean needs = job.started == null || job.status.state().isFinal()
                    || Duration.between(job.lastSchedulerView, now).compareTo(cap) >= 0;
            if (needs) byCluster.computeIfAbsent(job.cluster.name(), k -> new ArrayList<>()).add(job);
        }
        for (Map.Entry<String, List<TrackedJob>> e : byCluster.entrySet()) {
            ClusterPoll poll = polls.get(e.getKey());
            if (poll == null) continue;
            synchronized (poll) {
                if (now.isBefore(poll.next) || !poll.inFlight.compareAndSet(false, true)) continue;
            }
            List<TrackedJob> asked = e.getValue();
            ClusterSession cluster = asked.get(0).cluster;
            commands.execute(() -> askScheduler(cluster, asked, poll));
        }
    }

    private void askScheduler(ClusterSession cluster, List<TrackedJob> asked, ClusterPoll poll) {
        List<String> ids = asked.stream().map(j -> j.id).toList();
        Map<String, JobStatus> answer = null;
        String problem = null;
        try {
            CommandResult r = cluster.transport().run(cluster.scheduler().statusCommand(ids), COMMAND_TIMEOUT);
            answer = cluster.scheduler().parseStatus(r, ids);
        } catch (SchedulerException e) {
            problem = e.getMessage();
        } catch (IOException | RuntimeException e) {
            problem = e.toString();
        }
        Map<String, JobStatus> result = answer;
        String failure = problem;
        applyOnTick.add(() -> {
            boolean changed = false;
            Instant now = Instant.now();
            for (TrackedJob job : asked) {
                if (result == null) {
                    job.status = new JobStatus(job.status.state(), "scheduler not answering (" + failure + "); retrying",
                            job.status.node(), null);
                    continue;
                }
                job.lastSchedulerView = now;
                JobStatus s = result.get(job.id);
                JobStatus next = s != null ? refine(job, s) : new JobStatus(job.status.state(), GONE, job.status.node(), null);
                if (!next.equals(job.status)) changed = true;
                job.status = next;
            }
            synchronized (poll) {
                Duration min = cluster.profile().monitoring().pollMin();
                Duration max = cluster.profile().monitoring().pollMax();
                poll.interval = changed ? min : min(poll.interval.multipliedBy(2), max);
                poll.next = now.plus(poll.interval);
                poll.inFlight.set(false);
            }
        });
    }

    /** A job the scheduler runs but whose script has not written its start marker is still starting. */
    private static JobStatus refine(TrackedJob job, JobStatus s) {
        if (s.state() == JobState.RUNNING && job.started == null) {
            String reason = job.cluster.scheduler().name().equals("local") ? "waiting for a free core" : "starting";
            return new JobStatus(JobState.PENDING, reason, s.node(), null);
        }
        return s;
    }

    private void finish(TrackedJob job, JobState schedulerSays) throws IOException {
        jobs.remove(job);
        job.follower.drain(job.cluster.transport());
        Map<Integer, Integer> codes = new java.util.TreeMap<>(job.exitCodes);
        boolean allZero = !codes.isEmpty() && codes.values().stream().allMatch(c -> c == 0);
        Integer exitCode = job.isArray() ? (allZero ? Integer.valueOf(0) : codes.values().stream().filter(c -> c != 0).findFirst().orElse(null))
                : codes.get(-1);
        JobState state;
        if (schedulerSays != null) {
            state = schedulerSays;
        } else if (allZero) {
            state = JobState.COMPLETED;
        } else {
            state = job.cancelRequested ? JobState.CANCELLED : JobState.FAILED;
        }
        JobState provisional = state;
        Duration elapsed = job.started == null ? Duration.ZERO : Duration.between(job.started, Instant.now());
        if (provisional == JobState.COMPLETED) {
            // Success is certain from the markers; accounting only adds CPU time and memory, so the
            // cell need not wait for it: the status line is updated when it arrives.
            JobOutcome quick = new JobOutcome(job.id, provisional, exitCode, null, job.node, elapsed, null, null, codes);
            job.status = new JobStatus(quick.state(), null, quick.node(), quick.exitCode());
            sendStatus(job, true);
            job.outcome.complete(quick);
        }
        commands.execute(() -> {
            JobOutcome outcome = settle(job, provisional, exitCode, elapsed, codes);
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
            if (state == JobState.FAILED && !job.cancelRequested) {
                CommandResult r = c.transport().run(c.scheduler().statusCommand(List.of(job.id)), COMMAND_TIMEOUT);
                JobStatus s = c.scheduler().parseStatus(r, List.of(job.id)).get(job.id);
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
        Instant now = Instant.now();
        if (!force && Duration.between(job.lastStatusSent, now).compareTo(STATUS_REFRESH) < 0) return;
        job.lastStatusSent = now;
        Duration elapsed = job.started == null ? Duration.between(job.submitted, now) : Duration.between(job.started, now);
        Map<JobState, Integer> tasks = new EnumMap<>(JobState.class);
        if (job.isArray()) {
            for (Integer i : job.tasks) {
                Integer code = job.exitCodes.get(i);
                JobState s = code != null ? (code == 0 ? JobState.COMPLETED : JobState.FAILED)
                        : job.started != null ? JobState.RUNNING : JobState.PENDING;
                tasks.merge(s, 1, Integer::sum);
            }
        }
        JobStatus s = job.status;
        try {
            job.listener.onStatus(new JobView(job.id, job.cluster.name(), s.state(), s.reason(),
                    s.node() != null ? s.node() : job.node, elapsed, tasks, job.connectionProblem));
        } catch (RuntimeException e) {
            Log.warn(e, "status listener failed for job %s", job.id);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        commands.shutdownNow();
    }
}
