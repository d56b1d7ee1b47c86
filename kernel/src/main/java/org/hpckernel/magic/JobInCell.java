package org.hpckernel.magic;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.CellJobListener;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.HpcException;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.JobLostException;
import org.hpckernel.hpc.JobMonitor;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.JobView;
import org.hpckernel.hpc.StatusLine;
import org.hpckernel.hpc.TrackedJob;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.scheduler.JobState;

/**
 * A job shown in the cell until it ends: status line, live output from its first byte, then the
 * final state; the cell's value is the job's result and the cell fails unless the job completed
 * with exit code 0. Used by %%hpc and by %hpc attach, so both look the same.
 */
final class JobInCell {
    /** How long an interrupted cell waits for the scheduler to confirm the cancel before it ends anyway. */
    private static final Duration CANCEL_WAIT = Duration.ofMillis(1200);

    private JobInCell() {}

    static MimeBundle follow(HpcSession session, MagicContext context, ClusterSession cluster, LedgerEntry entry)
            throws MagicException, HpcException, InterruptedException {
        String jobId = entry.jobId();
        String statusId = UUID.randomUUID().toString();
        context.output().display(StatusLine.live(new JobView(jobId, cluster.name(), JobState.PENDING, "submitted", null,
                Duration.ZERO, Map.of(), null)), statusId, false);
        long cap = cluster.profile().monitoring().outputCap();
        CellJobListener listener = new CellJobListener(context.output(), statusId, cap, entry.array());
        TrackedJob tracked = session.jobs().follow(entry, cluster, listener);
        JobMonitor monitor = session.monitor();
        CompletableFuture<Void> interrupted = new CompletableFuture<>();
        // Runs on the control thread: it must not wait for the scheduler or the connection.
        context.onInterrupt(() -> {
            monitor.cancelInBackground(tracked);
            interrupted.complete(null);
        });
        JobOutcome outcome;
        try {
            CompletableFuture.anyOf(tracked.outcome(), interrupted).get();
            if (!tracked.outcome().isDone()) {
                // A responsive scheduler ends the job in a moment; an unreachable one must not hold the cell.
                try {
                    tracked.outcome().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    throw cancelRequested(context, listener, statusId, tracked, cluster.name());
                }
            }
            outcome = tracked.outcome().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof JobLostException ? cause.getMessage()
                    : "following job " + jobId + " failed: " + cause;
            throw new MagicException("JobLost", message, List.of("JobLost: " + message));
        }
        context.output().display(StatusLine.done(outcome, cluster.name()), statusId, true);
        JobOutcome shown = outcome;
        tracked.accounted().thenAccept(a -> {
            if (!a.equals(shown)) context.output().display(StatusLine.done(a, cluster.name()), statusId, true);
        });
        if (listener.hiddenBytes() > 0) {
            context.output().stream("stderr", "[" + listener.hiddenBytes() + " more bytes of output not shown (cap " + cap
                    + " bytes per cell); %hpc logs " + jobId + " shows everything]\n");
        }
        if (listener.error() != null) {
            JsonObject e = listener.error();
            List<String> traceback = new ArrayList<>();
            e.getAsJsonArray("traceback").forEach(t -> traceback.add(t.getAsString()));
            traceback.add("(in job " + jobId + " on " + cluster.name() + ")");
            throw new MagicException(e.get("ename").getAsString(), e.get("evalue").getAsString(), traceback);
        }
        if (!outcome.succeeded()) throw failure(outcome, cluster.name(), tracked.cancelRequested());
        return listener.result();
    }

    /**
     * The cell was interrupted and the scheduler has not confirmed the cancel yet: the cell ends
     * now; the cancel is sent again until the scheduler takes it.
     */
    private static MagicException cancelRequested(MagicContext context, CellJobListener listener, String statusId,
            TrackedJob tracked, String cluster) {
        listener.detach();
        JobView cancelling = new JobView(tracked.id(), cluster, tracked.status().state(), "cancel requested",
                tracked.status().node(), Duration.ZERO, Map.of(), null);
        context.output().display(StatusLine.live(cancelling), statusId, true);
        String m = "job " + tracked.id() + " on " + cluster + " is being cancelled because the cell was interrupted:"
                + " cancel requested, not confirmed by the scheduler yet; the kernel sends it until it is"
                + " (%hpc jobs shows the job's state)";
        return new MagicException("JobCancelled", m, List.of("JobCancelled: " + m));
    }

    private static MagicException failure(JobOutcome o, String cluster, boolean cancelled) {
        StringBuilder m = new StringBuilder("job ").append(o.jobId()).append(" on ").append(cluster).append(" ended ").append(o.state());
        if (o.exitCode() != null) m.append(" with exit code ").append(o.exitCode());
        if (o.reason() != null) m.append(" (").append(o.reason()).append(')');
        List<Integer> failedTasks = o.taskExitCodes().entrySet().stream().filter(e -> e.getKey() >= 0 && e.getValue() != 0)
                .map(Map.Entry::getKey).toList();
        if (!failedTasks.isEmpty()) m.append("; failed array tasks: ").append(failedTasks);
        if (cancelled) m.append("; it was cancelled because the cell was interrupted");
        String ename = cancelled ? "JobCancelled" : "Job" + camel(o.state());
        return new MagicException(ename, m.toString(), List.of(ename + ": " + m));
    }

    private static String camel(JobState s) {
        StringBuilder b = new StringBuilder();
        for (String w : s.name().split("_")) b.append(w.charAt(0)).append(w.substring(1).toLowerCase());
        return b.toString();
    }
}
