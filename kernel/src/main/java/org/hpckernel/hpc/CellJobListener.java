package org.hpckernel.hpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.util.Json;

/**
 * Puts a job's output into the cell that submitted it: streams (labelled by task for arrays,
 * up to the per-cell cap), displays, the status line; keeps the runner's result and error, and
 * the last lines of stderr, for the end of the cell.
 */
public final class CellJobListener implements JobListener {
    /** Lines of stderr kept for the error of a failed job. */
    public static final int STDERR_TAIL_LINES = 20;
    private static final int STDERR_TAIL_LINE_CHARS = 500;

    private final CellOutput output;
    private final String statusId;
    private final long cap;
    private final boolean labelTasks;
    private final Map<String, Boolean> atLineStart = new HashMap<>();
    /** Per task and stream, the text after its last line break, not shown yet. */
    private final Map<String, String> partialLines = new HashMap<>();
    private long shown;
    private long hidden;
    private volatile boolean detached;
    private volatile MimeBundle result;
    /** The last error of each task's current run (key -1 for a plain job); a new run starts clean. */
    private final Map<Integer, JsonObject> errors = new java.util.concurrent.ConcurrentHashMap<>();
    private final LastLines stderrTail = new LastLines(STDERR_TAIL_LINES, STDERR_TAIL_LINE_CHARS);
    /** The last view shown, and whether the current run has shown that it runs (output, or a start). */
    private JobView lastView;
    private boolean runSeen;

    public CellJobListener(CellOutput output, String statusId, long cap, boolean labelTasks) {
        this.output = output;
        this.statusId = statusId;
        this.cap = cap;
        this.labelTasks = labelTasks;
    }

    /**
     * A job that has written output or started its runner runs, whatever a lagging scheduler or
     * start marker says: the line never goes back to PENDING, except for a requeue (a new run).
     */
    @Override
    public synchronized void onStatus(JobView view) {
        if (view.state() == JobState.PENDING && requeued(view)) {
            runSeen = false;
        } else if (view.state() == JobState.PENDING && runSeen) {
            view = running(view);
        }
        show(view);
    }

    private void show(JobView view) {
        lastView = view;
        output.display(StatusLine.live(view), statusId, true);
    }

    private static boolean requeued(JobView view) {
        return view.reason() != null && view.reason().startsWith("requeued");
    }

    private static JobView running(JobView v) {
        return new JobView(v.jobId(), v.cluster(), JobState.RUNNING, null, v.node(), v.elapsed(), v.taskStates(), v.connection());
    }

    /** The job shows that its run has started: a status line still saying PENDING is put right at once. */
    private void runStarted() {
        if (runSeen) return;
        runSeen = true;
        if (lastView != null && lastView.state() == JobState.PENDING && !detached) show(running(lastView));
    }

    /** The cell has ended (interrupted): the job's further output stays in its files, out of later cells. */
    public void detach() {
        detached = true;
    }

    @Override
    public synchronized void onStream(Integer task, String name, String text) {
        if (detached) return;
        runStarted();
        if (labelTasks && task != null) {
            // Array tasks write at once: a task's unfinished line is held until its end comes, so
            // that another task's output cannot cut into it (a printf is written in pieces).
            String key = task + "/" + name;
            String whole = partialLines.getOrDefault(key, "") + text;
            int end = whole.lastIndexOf('\n') + 1;
            if (end < whole.length()) partialLines.put(key, whole.substring(end));
            else partialLines.remove(key);
            if (end > 0) show(name, label(task, name, whole.substring(0, end)));
            return;
        }
        show(name, text);
    }

    /** The job has ended: what its tasks wrote without a final line break is shown now. */
    public synchronized void flushPartialLines() {
        if (detached) return;
        for (Map.Entry<String, String> held : new java.util.TreeMap<>(partialLines).entrySet()) {
            String[] key = held.getKey().split("/", 2);
            show(key[1], label(Integer.parseInt(key[0]), key[1], held.getValue()));
        }
        partialLines.clear();
    }

    private void show(String name, String labelled) {
        if (name.equals("stderr")) stderrTail.add(labelled);
        long size = labelled.getBytes(StandardCharsets.UTF_8).length;
        if (shown >= cap) {
            hidden += size;
            return;
        }
        if (shown + size > cap) {
            int keep = (int) Math.min(labelled.length(), cap - shown);
            String part = labelled.substring(0, keep);
            hidden += size - part.getBytes(StandardCharsets.UTF_8).length;
            shown = cap;
            output.stream(name, part);
            return;
        }
        shown += size;
        output.stream(name, labelled);
    }

    private String label(int task, String name, String text) {
        String key = task + "/" + name;
        boolean start = atLineStart.getOrDefault(key, true);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            if (start) out.append('[').append(task).append("] ");
            char c = text.charAt(i);
            out.append(c);
            start = c == '\n';
        }
        atLineStart.put(key, start);
        return out.toString();
    }

    @Override
    public void onSkipped(Integer task, String file, long bytes) {
        synchronized (this) {
            hidden += bytes;
        }
    }

    @Override
    public void onEvent(Integer task, JsonObject event) {
        String type = event.has("t") ? event.get("t").getAsString() : "";
        int key = task == null ? -1 : task;
        synchronized (this) {
            runStarted(); // only a running runner writes events
        }
        switch (type) {
            case "display" -> display(event);
            case "clear" -> {
                if (!detached) output.clearOutput(event.has("wait") && event.get("wait").getAsBoolean());
            }
            case "result" -> result = bundle(event);
            case "error" -> errors.put(key, event);
            // A requeued job runs again: what the stopped run left (a RunnerStopped error) is not the end.
            case "start" -> {
                errors.remove(key);
                if (task == null) result = null;
            }
            default -> { }
        }
    }

    /** Displays count against the cell's cap like text: one over it is not shown (the events file keeps it). */
    private void display(JsonObject event) {
        MimeBundle bundle = bundle(event);
        long size = event.toString().length();
        synchronized (this) {
            if (detached) return;
            if (shown + size > cap) {
                hidden += size;
                return;
            }
            shown += size;
        }
        output.display(bundle, event.has("id") && !event.get("id").isJsonNull() ? event.get("id").getAsString() : null,
                event.has("update") && event.get("update").getAsBoolean());
    }

    @SuppressWarnings("unchecked")
    private static MimeBundle bundle(JsonObject event) {
        Map<String, Object> data = new LinkedHashMap<>();
        JsonObject d = event.has("data") ? event.getAsJsonObject("data") : new JsonObject();
        for (Map.Entry<String, JsonElement> e : d.entrySet()) {
            data.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : Json.GSON.fromJson(e.getValue(), Object.class));
        }
        Map<String, Object> metadata = event.has("metadata") ? Json.GSON.fromJson(event.get("metadata"), Map.class) : Map.of();
        return new MimeBundle(data, metadata);
    }

    public MimeBundle result() {
        return result;
    }

    /** The error of the lowest task that failed, or null. */
    public JsonObject error() {
        return errors.entrySet().stream().min(Map.Entry.comparingByKey()).map(Map.Entry::getValue).orElse(null);
    }

    public synchronized long hiddenBytes() {
        return hidden;
    }

    /** The last lines of stderr the cell received (of every task, labelled, for an array), oldest first. */
    public List<String> stderrTail() {
        return stderrTail.lines();
    }
}
