package org.hpckernel.runner;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Appends events to the job's {@code events[.I].jsonl}: one JSON object per line, each line
 * handed to the OS in a single unbuffered {@code write} on a file opened in append mode, so a
 * reader polling the file sees whole lines at once. Every event starts with its type
 * {@code "t"} and the time {@code "ts"} (epoch milliseconds) it was written.
 *
 * <p>Lines are also forced to storage (fdatasync) by a helper thread, at most every
 * {@value #SYNC_INTERVAL_MILLIS} ms: on NFS the login node may otherwise not see them until the
 * file is closed. Thread-safe. After the {@code exit} event nothing more is written.
 */
final class EventWriter {
    static final long SYNC_INTERVAL_MILLIS = 100;

    private final Path file;
    private final FileOutputStream out;
    private final FileChannel channel;
    private final PrintStream log;
    private final Object syncSignal = new Object();
    private boolean dirty;
    private boolean closed;
    private boolean failed;

    private EventWriter(Path file, FileOutputStream out, PrintStream log) {
        this.file = file;
        this.out = out;
        this.channel = out.getChannel();
        this.log = log;
    }

    /** @param log where to report a failing file (the runner's own stderr) */
    static EventWriter open(Path file, PrintStream log) throws IOException {
        EventWriter writer = new EventWriter(file, new FileOutputStream(file.toFile(), true), log);
        Thread syncer = new Thread(writer::syncLoop, "hpc-events-sync");
        syncer.setDaemon(true);
        syncer.start();
        return writer;
    }

    Path file() {
        return file;
    }

    /**
     * Writes {@code {"t":type,"ts":now,key1:value1,...}}.
     *
     * @param keysAndValues alternating keys (Strings) and values ({@link JsonWriter} types)
     * @return false if the event was not written (after {@code exit}, or the file failed)
     * @throws IllegalArgumentException if a value cannot be written as JSON
     */
    boolean write(String type, Object... keysAndValues) {
        byte[] line = line(type, System.currentTimeMillis(), keysAndValues).getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (closed || failed) {
                return false;
            }
            try {
                out.write(line);
            } catch (IOException e) {
                failed = true;
                log.println("hpc-runner: cannot write " + file + ": " + e.getMessage());
                return false;
            }
        }
        synchronized (syncSignal) {
            dirty = true;
            syncSignal.notifyAll();
        }
        return true;
    }

    /** Writes the last event, {@code {"t":"exit","code":code}}, forces it out and closes the file. */
    synchronized boolean writeExit(int code) {
        boolean written = write("exit", "code", code);
        closed = true;
        try {
            if (!failed) {
                channel.force(false);
            }
            out.close();
        } catch (IOException e) {
            log.println("hpc-runner: cannot close " + file + ": " + e.getMessage());
            failed = true;
        }
        return written && !failed;
    }

    /** True once writing the file failed (disk full, quota...): events have been lost. */
    synchronized boolean failed() {
        return failed;
    }

    /** True once the exit event was written (or attempted): the run is over. */
    synchronized boolean closed() {
        return closed;
    }

    static String line(String type, long timestamp, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        StringBuilder json = new StringBuilder(64);
        json.append("{\"t\":");
        JsonWriter.string(json, type);
        json.append(",\"ts\":").append(timestamp);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            json.append(',');
            JsonWriter.string(json, (String) keysAndValues[i]);
            json.append(':');
            JsonWriter.write(json, keysAndValues[i + 1]);
        }
        return json.append("}\n").toString();
    }

    private void syncLoop() {
        try {
            while (true) {
                synchronized (syncSignal) {
                    while (!dirty) {
                        syncSignal.wait();
                    }
                    dirty = false;
                }
                synchronized (this) {
                    if (closed || failed) {
                        return;
                    }
                }
                try {
                    channel.force(false);
                } catch (IOException e) {
                    // Not fatal: the lines are written, only not yet forced; the OS catches up.
                }
                Thread.sleep(SYNC_INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
