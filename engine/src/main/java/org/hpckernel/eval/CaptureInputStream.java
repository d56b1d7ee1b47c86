package org.hpckernel.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hpckernel.display.StdinUnavailableException;

/**
 * The {@code System.in} a cell sees: each time its buffer runs dry it asks the frontend for one
 * line (Jupyter input_request) and serves it with a trailing newline. Without a host it is at
 * end of file.
 */
final class CaptureInputStream extends InputStream {
    private final OutputCapture capture;
    private byte[] line = new byte[0];
    private int position;

    CaptureInputStream(OutputCapture capture) {
        this.capture = capture;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return line[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        // Only what this line holds: blocking for more would ask the user for a second line.
        int n = Math.min(len, line.length - position);
        System.arraycopy(line, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - position;
    }

    private boolean fill() throws IOException {
        if (position < line.length) {
            return true;
        }
        if (capture.target() == null) {
            return false;
        }
        String text;
        try {
            text = capture.readLine("", false);
        } catch (StdinUnavailableException e) {
            throw new IOException("standard input is not available: " + e.getMessage(), e);
        }
        if (text == null) {
            return false;
        }
        line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }
}
