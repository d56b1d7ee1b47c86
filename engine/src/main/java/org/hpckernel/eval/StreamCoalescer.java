package org.hpckernel.eval;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers one output stream ("stdout" or "stderr") and hands it on in chunks: ~50 ms after the
 * first write following a flush, or at once when 64 KiB are waiting. Timing, not newlines,
 * decides, so a loop of {@code println} becomes a few messages instead of one per line.
 */
final class StreamCoalescer {
    static final int FLUSH_THRESHOLD = 64 * 1024;
    static final long FLUSH_DELAY_MILLIS = 50;

    /** Receives chunks; called by one thread at a time per stream, in order. */
    interface Sink {
        void emit(String streamName, String text);
    }

    private final String name;
    private final Sink sink;
    private final ScheduledExecutorService timer;
    private final Runnable timedFlush = this::flush;

    // Writers hold this only to append; emission happens outside it so a slow sink never
    // blocks threads that merely print.
    private final Object bufferLock = new Object();
    private final StringBuilder buffer = new StringBuilder();
    private final Utf8Accumulator bytes = new Utf8Accumulator();
    private boolean flushScheduled;

    // Taking a chunk and emitting it happen under one lock, so chunks leave in the order taken.
    private final ReentrantLock emitLock = new ReentrantLock();

    StreamCoalescer(String name, Sink sink, ScheduledExecutorService timer) {
        this.name = name;
        this.sink = sink;
        this.timer = timer;
    }

    String name() {
        return name;
    }

    void append(String text) {
        boolean full;
        synchronized (bufferLock) {
            bytes.abandonTail(buffer);
            buffer.append(text);
            full = appended();
        }
        if (full) {
            flushIfFull();
        }
    }

    void appendLine(String text, String lineSeparator) {
        boolean full;
        synchronized (bufferLock) {
            bytes.abandonTail(buffer);
            buffer.append(text).append(lineSeparator);
            full = appended();
        }
        if (full) {
            flushIfFull();
        }
    }

    void append(char c) {
        boolean full;
        synchronized (bufferLock) {
            bytes.abandonTail(buffer);
            buffer.append(c);
            full = appended();
        }
        if (full) {
            flushIfFull();
        }
    }

    void write(byte[] data, int offset, int length) {
        boolean full;
        synchronized (bufferLock) {
            bytes.decode(data, offset, length, buffer);
            full = appended();
        }
        if (full) {
            flushIfFull();
        }
    }

    void write(int oneByte) {
        boolean full;
        synchronized (bufferLock) {
            bytes.decode(oneByte, buffer);
            full = appended();
        }
        if (full) {
            flushIfFull();
        }
    }

    /** Emits everything buffered now (an incomplete UTF-8 character stays for the next chunk). */
    void flush() {
        emitLock.lock();
        try {
            String text;
            synchronized (bufferLock) {
                flushScheduled = false;
                if (buffer.length() == 0) {
                    return;
                }
                text = buffer.toString();
                buffer.setLength(0);
            }
            emitInPieces(text);
        } finally {
            emitLock.unlock();
        }
    }

    // Several writers may all see a full buffer; only the first should emit, the rest would
    // otherwise flush the few bytes that arrived meanwhile as tiny chunks.
    private void flushIfFull() {
        emitLock.lock();
        try {
            synchronized (bufferLock) {
                if (buffer.length() < FLUSH_THRESHOLD) {
                    return;
                }
            }
            flush();
        } finally {
            emitLock.unlock();
        }
    }

    /** Called with bufferLock held after every append; true means flush in the writing thread. */
    private boolean appended() {
        if (buffer.length() >= FLUSH_THRESHOLD) {
            return true;
        }
        if (!flushScheduled && buffer.length() > 0) {
            flushScheduled = true;
            timer.schedule(timedFlush, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    // One huge print (say a 10 MB string) still leaves as bounded messages.
    private void emitInPieces(String text) {
        int start = 0;
        while (text.length() - start > FLUSH_THRESHOLD) {
            int end = start + FLUSH_THRESHOLD;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            sink.emit(name, text.substring(start, end));
            start = end;
        }
        sink.emit(name, start == 0 ? text : text.substring(start));
    }
}
