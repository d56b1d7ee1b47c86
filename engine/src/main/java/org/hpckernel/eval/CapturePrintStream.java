package org.hpckernel.eval;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code System.out}/{@code System.err} a cell sees. Text goes straight into a
 * {@link StreamCoalescer} as chars (no encode/decode round trip); raw bytes are decoded as
 * UTF-8. {@code flush()} and println's autoflush deliberately emit nothing: the coalescer's
 * timer decides when a chunk leaves, which is what keeps chatty loops cheap.
 */
final class CapturePrintStream extends PrintStream {
    private static final String LINE_SEPARATOR = System.lineSeparator();

    private final StreamCoalescer coalescer;

    CapturePrintStream(StreamCoalescer coalescer) {
        super(new CoalescerOutputStream(coalescer), false, StandardCharsets.UTF_8);
        this.coalescer = coalescer;
    }

    @Override
    public void write(int b) {
        coalescer.write(b);
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        if ((off | len | (buf.length - (len + off)) | (off + len)) < 0) {
            throw new IndexOutOfBoundsException();
        }
        coalescer.write(buf, off, len);
    }

    @Override
    public void write(byte[] buf) {
        coalescer.write(buf, 0, buf.length);
    }

    @Override
    public void writeBytes(byte[] buf) {
        coalescer.write(buf, 0, buf.length);
    }

    @Override
    public void print(String s) {
        coalescer.append(String.valueOf(s));
    }

    @Override
    public void print(Object obj) {
        coalescer.append(String.valueOf(obj));
    }

    @Override
    public void print(char c) {
        coalescer.append(c);
    }

    @Override
    public void print(char[] s) {
        coalescer.append(new String(s));
    }

    @Override
    public void print(boolean b) {
        coalescer.append(String.valueOf(b));
    }

    @Override
    public void print(int i) {
        coalescer.append(String.valueOf(i));
    }

    @Override
    public void print(long l) {
        coalescer.append(String.valueOf(l));
    }

    @Override
    public void print(float f) {
        coalescer.append(String.valueOf(f));
    }

    @Override
    public void print(double d) {
        coalescer.append(String.valueOf(d));
    }

    @Override
    public void println() {
        coalescer.append(LINE_SEPARATOR);
    }

    // Each println is one append, so lines from concurrent threads never interleave mid-line.
    @Override
    public void println(String x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(Object x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(char x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(char[] x) {
        coalescer.appendLine(new String(x), LINE_SEPARATOR);
    }

    @Override
    public void println(boolean x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(int x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(long x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(float x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public void println(double x) {
        coalescer.appendLine(String.valueOf(x), LINE_SEPARATOR);
    }

    @Override
    public PrintStream append(CharSequence csq) {
        coalescer.append(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        coalescer.append(String.valueOf(csq == null ? "null" : csq).substring(start, end));
        return this;
    }

    @Override
    public PrintStream append(char c) {
        coalescer.append(c);
        return this;
    }

    @Override
    public void flush() {
        // Intentionally no emission; see the class comment.
    }

    /** Closing System.out from a cell must not silence every later cell. */
    @Override
    public void close() {
    }

    @Override
    public boolean checkError() {
        return false;
    }

    /** Routes whatever PrintStream still writes itself (e.g. format's internals) to the coalescer. */
    private static final class CoalescerOutputStream extends OutputStream {
        private final StreamCoalescer coalescer;

        CoalescerOutputStream(StreamCoalescer coalescer) {
            this.coalescer = coalescer;
        }

        @Override
        public void write(int b) {
            coalescer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            coalescer.write(b, off, len);
        }
    }
}
