package org.hpckernel.magic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.NotebookValues;
import org.hpckernel.hpc.OutputCollector;
import org.hpckernel.hpc.ReturnPlan;
import org.hpckernel.hpc.ValueRefusal;
import org.hpckernel.hpc.ledger.LedgerEntry;

/**
 * Binds a job's {@code --out} values in the notebook when it has ended. A job that failed binds
 * nothing (its error says so); in an array the tasks that completed are bound, a failed task
 * leaves null at its index, and the cell fails naming those indexes.
 */
final class ReturnedValues {
    private ReturnedValues() {}

    /** What the job's manifest says it returns (an %hpc attach, or a cell following its earlier job). */
    static ReturnPlan plan(ClusterSession cluster, LedgerEntry entry, MagicContext context) {
        try {
            return ReturnPlan.read(cluster.transport(), entry.jobDir());
        } catch (IOException | RuntimeException e) {
            context.output().stream("stderr", "[the manifest of job " + entry.jobId() + " cannot be read (" + e.getMessage()
                    + "): its --out values, if any, are not bound]\n");
            return new ReturnPlan(false, List.of(), null);
        }
    }

    /** @return the cell's error: {@code error} (the job's own, or null) with what was bound added, or a binding error */
    static MagicException bind(NotebookValues notebook, ClusterSession cluster, LedgerEntry entry, ReturnPlan plan,
            JobOutcome outcome, MagicException error) throws InterruptedException {
        String names = String.join(", ", plan.outputs().stream().map(ReturnPlan.Output::name).toList());
        if (!plan.array() && error != null) {
            return adding(error, "Nothing was bound: --out " + names + " come back only from a job that completed.");
        }
        boolean whole = error == null && outcome.succeeded();
        IntPredicate completed = task -> whole || Integer.valueOf(0).equals(outcome.taskExitCodes().get(task));
        OutputCollector collector = new OutputCollector(cluster.transport(), entry.jobDir(), cluster.profile().caps().maxOutputBytes(),
                cluster.profile().monitoring().fileSystemLag(), OutputCollector.sleeping());
        OutputCollector.Collected collected;
        try {
            collected = collector.collect(plan, completed);
        } catch (ValueRefusal e) {
            return error != null ? adding(error, "Nothing was bound: " + e.getMessage()) : ValueErrors.toMagic(e);
        } catch (IOException e) {
            String message = "the outputs of job " + entry.jobId() + " cannot be read from " + cluster.name() + ": " + e.getMessage()
                    + "; nothing was bound (%hpc attach " + entry.jobId() + " tries again)";
            return error != null ? adding(error, message) : new MagicException("OutputNotRead", message, List.of("OutputNotRead: " + message));
        }
        for (OutputCollector.Binding b : collected.bindings()) {
            try {
                notebook.bind(b.name(), b.type(), b.json(),
                        org.hpckernel.values.SerialValues.Limits.forCap(cluster.profile().caps().maxOutputBytes()).maxBytes());
            } catch (NotebookValues.Failure e) {
                String message = "--out " + b.name() + " (" + b.type() + ") of job " + entry.jobId() + " cannot be bound: " + e.getMessage()
                        + "; if the notebook lacks a type it names, run the cells that declare it, then %hpc attach " + entry.jobId()
                        + " binds the job's outputs again";
                return error != null ? adding(error, message) : new MagicException("OutputNotBound", message, List.of("OutputNotBound: " + message));
            }
        }
        if (!collected.bindings().isEmpty()) {
            try {
                ReturnPlan.recordReturned(cluster.transport(), entry.jobDir(), collected.bindings());
            } catch (IOException | RuntimeException e) {
                // The values are bound; only the job's record lacks them.
                org.hpckernel.util.Log.warn("the manifest of job %s does not list its returned values: %s", entry.jobId(), e.getMessage());
            }
        }
        if (!plan.array() || collected.failedTasks().isEmpty()) return error;
        String message;
        if (collected.bindings().isEmpty()) {
            message = "Nothing was bound: no array task completed, so --out " + names + " stay as they were.";
        } else {
            message = "Array tasks " + collected.failedTasks() + " failed: " + names + " " + (plan.outputs().size() == 1 ? "has" : "have")
                    + " null at their index; the other tasks' values were bound.";
        }
        List<String> lines = new ArrayList<>();
        lines.add(message);
        collected.problems().forEach(p -> lines.add("  " + p));
        if (error != null) return adding(error, lines);
        return new MagicException("ArrayTasksFailed", String.join(" ", lines), prefixed("ArrayTasksFailed: ", lines));
    }

    private static MagicException adding(MagicException error, String line) {
        return adding(error, List.of(line));
    }

    private static MagicException adding(MagicException error, List<String> lines) {
        List<String> traceback = new ArrayList<>(error.traceback());
        traceback.addAll(lines);
        return new MagicException(error.ename(), error.getMessage() + " " + lines.get(0), traceback);
    }

    private static List<String> prefixed(String prefix, List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        out.set(0, prefix + out.get(0));
        return out;
    }
}
