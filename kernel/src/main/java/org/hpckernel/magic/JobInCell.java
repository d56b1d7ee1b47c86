package org.hpckernel.magic;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.hpckernel.hpc.ReturnPlan;
import org.hpckernel.hpc.StatusLine;
import org.hpckernel.hpc.TrackedJob;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.scheduler.JobState;

/**
 * A job shown in the cell until it ends: status line, live output from its first byte, then the
 * final state; the cell's value is the job's result and the cell fails unless the job completed
 * with exit code 0; its --out values are bound then. Used by %%hpc and by %hpc attach, so both
 * look (and bind) the same.
 */
final class JobInCell {
    /** How long an interrupted cell waits for the scheduler to confirm the cancel before it ends anyway. */
    private static final Duration CANCEL_WAIT = Duration.ofMillis(1200);

    private JobInCell() {}

    /**
     * Follows the job to its end under {@code status}, the cell's status line (shown here if the
     * cell has not shown it yet), then binds what it returns ({@code plan}, or when null what the
     * job's manifest recorded) in the notebook.
     */
    static MimeBundle follow(HpcSession session, MagicContext context, ClusterSession cluster, LedgerEntry entry,
            StatusDisplay status, ReturnPlan plan) throws MagicException, HpcException, InterruptedException {
        String jobId = entry.jobId();
        JobView submitted = new JobView(jobId, cluster.name(), JobState.PENDING, "submitted", null, Duration.ZERO, Map.of(), null);
        if (!status.shown()) status.show(StatusLine.live(submitted));
        long cap = cluster.profile().monitoring().outputCap();
        CellJobListener listener = new CellJobListener(context.output(), status.id(), cap, entry.array());
        listener.onStatus(submitted);
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
                    throw cancelRequested(listener, status, tracked, cluster.name());
                }
            }
            outcome = tracked.outcome().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof JobLostException ? cause.getMessage()
                    : "following job " + jobId + " failed: " + cause;
            throw new MagicException("JobLost", message, List.of("JobLost: " + message));
        }
        listener.flushPartialLines();
        status.show(StatusLine.done(outcome, cluster.name()));
        JobOutcome shown = outcome;
        tracked.accounted().thenAccept(a -> {
            if (!a.equals(shown)) status.show(StatusLine.done(a, cluster.name()));
        });
        JobEndError.Cancel cancel = interrupted.isDone() ? JobEndError.Cancel.INTERRUPTED
                : tracked.cancelRequested() ? JobEndError.Cancel.REQUESTED : JobEndError.Cancel.NONE;
        JsonObject runnerError = listener.error();
        MagicException error = null;
        if (!outcome.succeeded() && (runnerError == null || stoppedFromOutside(runnerError, outcome, cancel))) {
            error = JobEndError.of(outcome, cluster.name(), cancel, listener.stderrTail(), listener.hiddenBytes());
        } else {
            if (listener.hiddenBytes() > 0) {
                context.output().stream("stderr", "[" + listener.hiddenBytes() + " more bytes of output not shown (cap " + cap
                        + " bytes per cell); %hpc logs " + jobId + " shows everything]\n");
            }
            if (runnerError != null) {
                List<String> traceback = new ArrayList<>();
                runnerError.getAsJsonArray("traceback").forEach(t -> traceback.add(t.getAsString()));
                traceback.add("(in job " + jobId + " on " + cluster.name() + "; %hpc logs " + jobId + " shows everything it wrote)");
                error = new MagicException(runnerError.get("ename").getAsString(), runnerError.get("evalue").getAsString(), traceback);
            }
        }
        ReturnPlan returns = plan != null ? plan : ReturnedValues.plan(cluster, entry, context);
        if (!returns.isEmpty()) {
            error = ReturnedValues.bind(new EvaluatorValues(context.evaluator()), cluster, entry, returns, outcome, error);
        }
        if (error != null) throw error;
        return listener.result();
    }

    /**
     * The runner's "shut down before the cell finished" guesses at a cause the outcome knows (a
     * cancel, a limit, a signal): then the outcome is the error. After System.exit in the cell it
     * is the runner's word that explains the exit code.
     */
    private static boolean stoppedFromOutside(JsonObject runnerError, JobOutcome outcome, JobEndError.Cancel cancel) {
        if (!runnerError.has("ename") || !runnerError.get("ename").getAsString().equals("RunnerStopped")) return false;
        return cancel != JobEndError.Cancel.NONE || outcome.state() != JobState.FAILED
                || SignalNames.ofExitCode(outcome.exitCode()).isPresent();
    }

    /**
     * The cell was interrupted and the scheduler has not confirmed the cancel yet: the cell ends
     * now; the cancel is sent again until the scheduler takes it.
     */
    private static MagicException cancelRequested(CellJobListener listener, StatusDisplay status, TrackedJob tracked,
            String cluster) {
        listener.detach();
        JobView cancelling = new JobView(tracked.id(), cluster, tracked.status().state(), "cancel requested",
                tracked.status().node(), Duration.ZERO, Map.of(), null);
        status.show(StatusLine.live(cancelling));
        String later = "the kernel sends it again until it does (%hpc jobs shows the job's state)";
        return new MagicException("JobCancelled", "job " + tracked.id() + " on " + cluster + " is being cancelled because the cell"
                + " was interrupted: cancel requested, not confirmed by the scheduler yet; " + later,
                List.of("JobCancelled: the cell was interrupted; the scheduler has not confirmed the cancel yet: " + later));
    }
}
