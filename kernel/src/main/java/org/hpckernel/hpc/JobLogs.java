package org.hpckernel.hpc;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.runner.JobLayout;

/**
 * Everything a job wrote, sent on in chunks as it is read (for {@code %hpc logs}): memory stays
 * bounded by the chunk size whatever the size of the output or the number of array tasks. Array
 * tasks' lines get a {@code [i] } label. Stream events of Java cells are shown like the cell
 * showed them; an event line longer than {@link #MAX_EVENT_LINE} is cut with a marker.
 */
public final class JobLogs {
    /** Where the text goes: {@code stream} is "stdout" or "stderr". */
    public interface Sink {
        void write(String stream, String text);
    }

    static final int CHUNK = 256 * 1024;
    static final int MAX_EVENT_LINE = 1024 * 1024;

    private final Transport transport;
    private final Sink sink;

    public JobLogs(Transport transport, Sink sink) {
        this.transport = transport;
        this.sink = sink;
    }

    public void send(LedgerEntry e) throws IOException {
        List<Integer> tasks = e.array() && e.tasks() != null ? e.tasks() : Collections.singletonList(null);
        for (Integer t : tasks) {
            String label = t == null ? "" : "[" + t + "] ";
            sendFile(e.jobDir() + "/" + JobLayout.stdout(t), "stdout", label);
            sendFile(e.jobDir() + "/" + JobLayout.stderr(t), "stderr", label);
            sendEvents(e.jobDir() + "/" + JobLayout.events(t), label);
        }
    }

    private void sendFile(String path, String stream, String label) throws IOException {
        Utf8Decoder decoder = new Utf8Decoder();
        boolean lineStart = true;
        long offset = 0;
        while (true) {
            byte[] chunk = transport.readFrom(path, offset, CHUNK);
            offset += chunk.length;
            String text = chunk.length == 0 ? decoder.finish() : decoder.decode(chunk);
            if (!text.isEmpty()) {
                if (label.isEmpty()) {
                    sink.write(stream, text);
                } else {
                    StringBuilder out = new StringBuilder(text.length() + 64);
                    for (int i = 0; i < text.length(); i++) {
                        if (lineStart) out.append(label);
                        char c = text.charAt(i);
                        out.append(c);
                        lineStart = c == '\n';
                    }
                    sink.write(stream, out.toString());
                }
            }
            if (chunk.length < CHUNK) {
                if (chunk.length > 0) {
                    String rest = decoder.finish();
                    if (!rest.isEmpty()) sink.write(stream, (lineStart ? label : "") + rest);
                }
                if (!label.isEmpty() && !lineStart) sink.write(stream, "\n");
                return;
            }
        }
    }

    /** Event lines, one JSON object each; only the stream ones carry output. */
    private void sendEvents(String path, String label) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean cut = false;
        long offset = 0;
        while (true) {
            byte[] chunk = transport.readFrom(path, offset, CHUNK);
            offset += chunk.length;
            for (byte b : chunk) {
                if (b == '\n') {
                    if (cut) {
                        sink.write("stderr", label + "[an event line longer than " + MAX_EVENT_LINE + " bytes was cut]\n");
                    } else {
                        event(line.toString(StandardCharsets.UTF_8), label);
                    }
                    line.reset();
                    cut = false;
                } else if (line.size() < MAX_EVENT_LINE) {
                    line.write(b);
                } else {
                    cut = true;
                }
            }
            if (chunk.length < CHUNK) {
                if (line.size() > 0 && !cut) event(line.toString(StandardCharsets.UTF_8), label);
                return;
            }
        }
    }

    private void event(String line, String label) {
        if (line.isBlank()) return;
        try {
            JsonObject ev = JsonParser.parseString(line).getAsJsonObject();
            if (ev.has("t") && ev.get("t").getAsString().equals("stream")) {
                sink.write(ev.get("name").getAsString(), label + ev.get("text").getAsString());
            }
        } catch (RuntimeException malformed) {
            sink.write("stderr", label + line + "\n"); // shown as it is, never thrown
        }
    }
}
