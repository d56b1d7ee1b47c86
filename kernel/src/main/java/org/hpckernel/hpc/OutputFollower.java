package org.hpckernel.hpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.util.Log;

/**
 * Follows one job's output files by byte offset: the payload's stdout and stderr, and the
 * runner's events, task by task (the monitor says which tasks are worth reading). Offsets only
 * move forward over bytes already handed on, so after a dropped connection it resumes exactly
 * where it stopped: no byte lost, none repeated. Files are only appended to (job.sh appends
 * across the runs of a requeued job), so an offset stays valid for the job's whole life.
 *
 * <p>Memory and transfer are bounded by the cell's output cap: once {@code cap} bytes of text
 * were handed on, the text files are no longer read, only their sizes, and what was skipped is
 * reported ({@link JobListener#onSkipped}); an events file is then read again only at the end,
 * its last {@value #EVENTS_TAIL} bytes, for the cell's result or error. An event line without a
 * newline is kept up to a bound and cut there.
 */
public final class OutputFollower {
    private static final int CHUNK = 1 << 20;
    /** Chunks per file per poll: enough to keep up with a fast writer, bounded so one job cannot starve the others. */
    private static final int CHUNKS_PER_POLL = 8;
    /** What is read of an events file whose middle was skipped (over the cap): its end, where the result and error are. */
    static final int EVENTS_TAIL = 256 << 10;
    /** Shown of an event line that had to be cut. */
    private static final int CUT_LINE_SHOWN = 200;

    private final String jobDir;
    private final JobListener listener;
    private final long cap;
    private final int lineCap;
    private final Map<Integer, TaskFiles> tasks = new LinkedHashMap<>();
    private long delivered;

    /** Without a cap: everything is read (tools that keep the output themselves). */
    public OutputFollower(String jobDir, List<Integer> arrayIndices, JobListener listener) {
        this(jobDir, arrayIndices, listener, Long.MAX_VALUE);
    }

    /** @param cap bytes of text the cell will show; what is beyond it is not transferred */
    public OutputFollower(String jobDir, List<Integer> arrayIndices, JobListener listener, long cap) {
        this.jobDir = jobDir;
        this.listener = listener;
        this.cap = cap;
        this.lineCap = (int) Math.max(64 << 10, Math.min(cap, 16 << 20));
        if (arrayIndices == null) {
            tasks.put(null, new TaskFiles(null));
        } else {
            for (Integer i : arrayIndices) tasks.put(i, new TaskFiles(i));
        }
    }

    /** Reads what is new in every task's files; returns true if any grew. */
    public boolean poll(Transport transport) throws IOException {
        boolean any = false;
        for (TaskFiles t : tasks.values()) any |= t.poll(transport);
        return any;
    }

    /** Reads what is new in one task's files ({@code task} null for a plain job); true if they grew. */
    public boolean poll(Transport transport, Integer task) throws IOException {
        return files(task).poll(transport);
    }

    /**
     * The task's files stopped growing (its exit marker was read and two reads found nothing new):
     * hands on the incomplete tails (a partial UTF-8 sequence, a last event line without newline),
     * and, if the events were skipped over the cap, reads their end for the result or error. A
     * requeued task may be polled again afterwards: it continues from the same offsets.
     */
    public void finishTask(Transport transport, Integer task) throws IOException {
        files(task).finish(transport);
    }

    /**
     * The first of the task's files not read up to the size its exit marker recorded, as "stdout
     * has 10 of its 12 bytes"; empty when every file is (past the size, too: a file may grow after
     * the marker was written). A file skipped over the cap counts as read up to where it was skipped.
     */
    public Optional<String> shortOf(Integer task, ExitMarker.Sizes sizes) {
        TaskFiles t = files(task);
        if (t.stdout.offset < sizes.stdout()) return Optional.of(shortText(t.stdout, sizes.stdout()));
        if (t.stderr.offset < sizes.stderr()) return Optional.of(shortText(t.stderr, sizes.stderr()));
        if (t.events.offset < sizes.events()) return Optional.of(shortText(t.events, sizes.events()));
        return Optional.empty();
    }

    private static String shortText(Tail tail, long size) {
        return tail.path.substring(tail.path.lastIndexOf('/') + 1) + " could be read up to byte " + tail.offset + " of the "
                + size + " the job recorded";
    }

    /** After the job ended: reads until nothing grows, then finishes every task. */
    public void drain(Transport transport) throws IOException {
        while (poll(transport)) {
            // each round reads up to CHUNKS_PER_POLL chunks per file
        }
        for (TaskFiles t : tasks.values()) t.finish(transport);
    }

    public long bytesFollowed() {
        long n = 0;
        for (TaskFiles t : tasks.values()) n += t.stdout.offset + t.stderr.offset + t.events.offset;
        return n;
    }

    private TaskFiles files(Integer task) {
        TaskFiles t = tasks.get(task);
        if (t == null) throw new IllegalArgumentException("job " + jobDir + " has no task " + task);
        return t;
    }

    private long budget() {
        return Math.max(0, cap - delivered);
    }

    private void deliver(Integer task, String name, String text) {
        if (text.isEmpty()) return;
        delivered += text.getBytes(StandardCharsets.UTF_8).length;
        listener.onStream(task, name, text);
    }

    private final class TaskFiles {
        final Integer task;
        final Tail stdout;
        final Tail stderr;
        final Tail events;
        final Utf8Decoder stdoutText = new Utf8Decoder();
        final Utf8Decoder stderrText = new Utf8Decoder();
        ByteArrayOutputStream partialLine;
        /** Inside an event line longer than the bound: bytes are dropped up to its newline. */
        boolean cuttingLine;
        /** Part of the events file was skipped over the cap: its end is read at finish. */
        boolean eventsSkipped;

        TaskFiles(Integer task) {
            this.task = task;
            this.stdout = new Tail(jobDir + "/" + JobLayout.stdout(task));
            this.stderr = new Tail(jobDir + "/" + JobLayout.stderr(task));
            this.events = new Tail(jobDir + "/" + JobLayout.events(task));
        }

        boolean poll(Transport transport) throws IOException {
            boolean any = text(transport, stdout, stdoutText, "stdout");
            any |= text(transport, stderr, stderrText, "stderr");
            if (budget() == 0) {
                long skipped = events.skip(transport);
                if (skipped > 0) {
                    eventsSkipped = true;
                    partialLine = null;
                    cuttingLine = false;
                    listener.onSkipped(task, "events", skipped);
                    any = true;
                }
                return any;
            }
            byte[] ev = events.read(transport, Long.MAX_VALUE);
            if (ev.length > 0) {
                any = true;
                eventBytes(ev);
            }
            return any;
        }

        private boolean text(Transport transport, Tail tail, Utf8Decoder decoder, String name) throws IOException {
            long budget = budget();
            if (budget == 0) {
                long skipped = tail.skip(transport);
                if (skipped > 0) listener.onSkipped(task, name, skipped);
                return skipped > 0;
            }
            byte[] data = tail.read(transport, budget);
            if (data.length == 0) return false;
            deliver(task, name, decoder.decode(data));
            return true;
        }

        /** Only whole lines are events; a line still being written waits for its newline, up to a bound. */
        void eventBytes(byte[] chunk) {
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    if (cuttingLine) {
                        cuttingLine = false;
                    } else {
                        line().write(chunk, start, i - start);
                        event(partialLine.toString(StandardCharsets.UTF_8));
                        partialLine = null;
                    }
                    start = i + 1;
                }
            }
            if (cuttingLine || start == chunk.length) return;
            line().write(chunk, start, chunk.length - start);
            if (partialLine.size() > lineCap) {
                byte[] head = partialLine.toByteArray();
                String shown = new String(head, 0, Math.min(head.length, CUT_LINE_SHOWN), StandardCharsets.UTF_8);
                deliver(task, "stderr", shown + "… [runner event line longer than " + lineCap
                        + " bytes cut here; the job's events file keeps all of it]\n");
                partialLine = null;
                cuttingLine = true;
            }
        }

        private ByteArrayOutputStream line() {
            if (partialLine == null) partialLine = new ByteArrayOutputStream();
            return partialLine;
        }

        /** A line that is not a runner event is shown as it is: a job's output is never lost to a parse error. */
        void event(String line) {
            if (line.isBlank()) return;
            JsonObject e;
            String type;
            try {
                JsonElement parsed = JsonParser.parseString(line);
                e = parsed.getAsJsonObject();
                type = e.has("t") ? e.get("t").getAsString() : "";
                if (type.equals("stream")) {
                    String name = e.get("name").getAsString();
                    String text = e.get("text").getAsString();
                    deliver(task, name.equals("stderr") ? "stderr" : "stdout", text);
                    return;
                }
            } catch (RuntimeException ex) {
                Log.warn("unreadable runner event in %s: %s", jobDir, ex.getMessage());
                deliver(task, "stderr", line + "\n");
                return;
            }
            try {
                listener.onEvent(task, e);
            } catch (RuntimeException ex) {
                Log.warn("runner event %s in %s not shown: %s", type, jobDir, ex);
                deliver(task, "stderr", line + "\n");
            }
        }

        void finish(Transport transport) throws IOException {
            if (eventsSkipped) {
                byte[] tail = events.tail(transport, EVENTS_TAIL);
                eventsSkipped = false;
                int start = 0;
                while (start < tail.length && tail[start] != '\n') start++;
                if (start < tail.length) eventTail(java.util.Arrays.copyOfRange(tail, start + 1, tail.length));
            }
            deliver(task, "stdout", stdoutText.finish());
            deliver(task, "stderr", stderrText.finish());
            if (partialLine != null && partialLine.size() > 0 && !cuttingLine) {
                event(partialLine.toString(StandardCharsets.UTF_8));
            }
            partialLine = null;
            cuttingLine = false;
        }

        /**
         * The end of an events file past the cap: its result, error and run boundaries, not its
         * text or displays (over the cap, and already counted as skipped).
         */
        private void eventTail(byte[] bytes) {
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') continue;
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                try {
                    JsonObject e = JsonParser.parseString(line).getAsJsonObject();
                    String type = e.has("t") ? e.get("t").getAsString() : "";
                    if (!type.equals("stream") && !type.equals("display") && !type.equals("clear")) listener.onEvent(task, e);
                } catch (RuntimeException ex) {
                    Log.debug("event line in the skipped part of %s not read: %s", jobDir, ex.getMessage());
                }
            }
        }
    }

    private static final class Tail {
        final String path;
        long offset;

        Tail(String path) {
            this.path = path;
        }

        /** Up to {@code limit} new bytes (and at most CHUNKS_PER_POLL chunks). */
        byte[] read(Transport transport, long limit) throws IOException {
            ByteArrayOutputStream all = null;
            for (int i = 0; i < CHUNKS_PER_POLL && limit > 0; i++) {
                int want = (int) Math.min(CHUNK, limit);
                byte[] data = transport.readFrom(path, offset, want);
                offset += data.length;
                limit -= data.length;
                if (i == 0 && data.length < want) return data;
                if (all == null) all = new ByteArrayOutputStream();
                all.writeBytes(data);
                if (data.length < want) break;
            }
            return all == null ? new byte[0] : all.toByteArray();
        }

        /** Moves to the end of the file without reading it; returns how many bytes were passed over. */
        long skip(Transport transport) throws IOException {
            long size = transport.size(path);
            if (size <= offset) return 0;
            long skipped = size - offset;
            offset = size;
            return skipped;
        }

        /** The last {@code max} bytes up to the current end (the file has stopped growing). */
        byte[] tail(Transport transport, int max) throws IOException {
            long size = transport.size(path);
            long from = Math.max(0, size - max);
            byte[] data = transport.readFrom(path, from, (int) Math.min(max, Math.max(0, size - from)));
            offset = Math.max(offset, from + data.length);
            return data;
        }
    }
}
