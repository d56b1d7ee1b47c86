package org.hpckernel.hpc;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.util.Log;

/**
 * Follows one job's output files by byte offset: the payload's stdout and stderr, and the
 * runner's events. Offsets only move forward over bytes already handed on, so after a dropped
 * connection it resumes exactly where it stopped: no byte lost, none repeated.
 */
public final class OutputFollower {
    private static final int CHUNK = 1 << 20;
    /** Chunks per file per poll: enough to keep up with a fast writer, bounded so one job cannot starve the others. */
    private static final int CHUNKS_PER_POLL = 8;

    private final String jobDir;
    private final List<TaskFiles> tasks = new ArrayList<>();
    private final JobListener listener;

    public OutputFollower(String jobDir, List<Integer> arrayIndices, JobListener listener) {
        this.jobDir = jobDir;
        this.listener = listener;
        if (arrayIndices == null) {
            tasks.add(new TaskFiles(null));
        } else {
            for (Integer i : arrayIndices) tasks.add(new TaskFiles(i));
        }
    }

    /** Reads what is new; returns true if anything was. */
    public boolean poll(Transport transport) throws IOException {
        boolean any = false;
        for (TaskFiles t : tasks) any |= t.poll(transport);
        return any;
    }

    /** After the job ended: read everything that is left (the files no longer grow), then the incomplete tails. */
    public void drain(Transport transport) throws IOException {
        while (poll(transport)) {
            // each round reads up to CHUNKS_PER_POLL chunks per file
        }
        finish();
    }

    private void finish() {
        for (TaskFiles t : tasks) t.finish();
    }

    public long bytesFollowed() {
        long n = 0;
        for (TaskFiles t : tasks) n += t.stdout.offset + t.stderr.offset + t.events.offset;
        return n;
    }

    private final class TaskFiles {
        final Integer task;
        final Tail stdout;
        final Tail stderr;
        final Tail events;
        final Utf8Decoder stdoutText = new Utf8Decoder();
        final Utf8Decoder stderrText = new Utf8Decoder();
        final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();

        TaskFiles(Integer task) {
            this.task = task;
            this.stdout = new Tail(jobDir + "/" + JobLayout.stdout(task));
            this.stderr = new Tail(jobDir + "/" + JobLayout.stderr(task));
            this.events = new Tail(jobDir + "/" + JobLayout.events(task));
        }

        boolean poll(Transport transport) throws IOException {
            boolean any = false;
            byte[] out = stdout.read(transport);
            if (out.length > 0) {
                any = true;
                emitText("stdout", stdoutText.decode(out));
            }
            byte[] err = stderr.read(transport);
            if (err.length > 0) {
                any = true;
                emitText("stderr", stderrText.decode(err));
            }
            byte[] ev = events.read(transport);
            if (ev.length > 0) {
                any = true;
                eventBytes(ev);
            }
            return any;
        }

        void emitText(String name, String text) {
            if (!text.isEmpty()) listener.onStream(task, name, text);
        }

        /** Only whole lines are events; a line still being written waits for its newline. */
        void eventBytes(byte[] chunk) {
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    partialLine.write(chunk, start, i - start);
                    event(partialLine.toString(StandardCharsets.UTF_8));
                    partialLine.reset();
                    start = i + 1;
                }
            }
            partialLine.write(chunk, start, chunk.length - start);
        }

        void event(String line) {
            if (line.isBlank()) return;
            JsonObject e;
            try {
                e = JsonParser.parseString(line).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException ex) {
                Log.warn("unreadable runner event in %s: %s", jobDir, ex.getMessage());
                return;
            }
            String type = e.has("t") ? e.get("t").getAsString() : "";
            if (type.equals("stream")) {
                emitText(e.get("name").getAsString(), e.get("text").getAsString());
            } else {
                listener.onEvent(task, e);
            }
        }

        void finish() {
            emitText("stdout", stdoutText.finish());
            emitText("stderr", stderrText.finish());
            if (partialLine.size() > 0) {
                event(partialLine.toString(StandardCharsets.UTF_8));
                partialLine.reset();
            }
        }
    }

    private static final class Tail {
        final String path;
        long offset;

        Tail(String path) {
            this.path = path;
        }

        byte[] read(Transport transport) throws IOException {
            java.io.ByteArrayOutputStream all = null;
            for (int i = 0; i < CHUNKS_PER_POLL; i++) {
                byte[] data = transport.readFrom(path, offset, CHUNK);
                offset += data.length;
                if (i == 0 && data.length < CHUNK) return data;
                if (all == null) all = new java.io.ByteArrayOutputStream();
                all.writeBytes(data);
                if (data.length < CHUNK) break;
            }
            return all.toByteArray();
        }
    }
}
