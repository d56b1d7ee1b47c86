package org.hpckernel.hpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.protocol.Json;

/**
 * Puts a job's output into the cell that submitted it: streams (labelled by task for arrays,
 * up to the per-cell cap), displays, the status line; keeps the runner's result and error for
 * the end of the cell.
 */
public final class CellJobListener implements JobListener {
    private final CellOutput output;
    private final String statusId;
    private final long cap;
    private final boolean labelTasks;
    private final Map<String, Boolean> atLineStart = new HashMap<>();
    private long shown;
    private long hidden;
    private volatile MimeBundle result;
    private volatile JsonObject error;

    public CellJobListener(CellOutput output, String statusId, long cap, boolean labelTasks) {
        this.output = output;
        this.statusId = statusId;
        this.cap = cap;
        this.labelTasks = labelTasks;
    }

    @Override
    public void onStatus(JobView view) {
        output.display(StatusLine.live(view), statusId, true);
    }

    @Override
    public synchronized void onStream(Integer task, String name, String text) {
        String labelled = labelTasks && task != null ? label(task, name, text) : text;
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
    public void onEvent(Integer task, JsonObject event) {
        String type = event.has("t") ? event.get("t").getAsString() : "";
        switch (type) {
            case "display" -> output.display(bundle(event), event.has("id") && !event.get("id").isJsonNull()
                    ? event.get("id").getAsString() : null, event.has("update") && event.get("update").getAsBoolean());
            case "clear" -> output.clearOutput(event.has("wait") && event.get("wait").getAsBoolean());
            case "result" -> result = bundle(event);
            case "error" -> error = event;
            default -> { }
        }
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

    public JsonObject error() {
        return error;
    }

    public long hiddenBytes() {
        return hidden;
    }
}
