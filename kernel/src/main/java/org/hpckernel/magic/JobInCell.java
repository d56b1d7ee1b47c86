package org.hpckernel.magic;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.CellJobListener;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.HpcSession;
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
    private JobInCell() {}

    static MimeBundle follow(HpcSession session, MagicContext context, ClusterSession cluster, LedgerEntry entry)
            throws MagicException, InterruptedException {
        String jobId = entry.jobId();
        String statusId = UUID.randomUUID().toString();
        context.output().display(StatusLine.live(new JobView(jobId, cluster.name(), JobState.PENDING, "submitted", null,
                Duration.ZERO, Map.of(), null)), statusId, false);
        long cap = cluster.profile().monitoring().outputCap();
        CellJobListener listener = new CellJobListener(context.output(), statusId, cap, entry.array());
        TrackedJob tracked = session.jobs().follow(entry, cluster, listener);
        context.onInterrupt(() -> {
            try {
                session.monitor().cancel(tracked);
            } catch (IOException e) {
                context.output().stream("stderr", "could not cancel job " + jobId + ": " + e.getMessage() + "\n");
            }
        });
        JobOutcome outcome;
        try {
            outcome = tracked.outcome().get();
        } catch (ExecutionException e) {
            throw new MagicException("JobLost", "following job " + jobId + " failed: " + e.getCause(), List.of());
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
