package org.hpckernel.protocol;

import java.util.Locale;
import java.util.Map;

/**
 * How large an incoming message may be. {@code maxFrameBytes} is enforced by ZeroMQ itself while
 * it reads the frame's length prefix, so an oversize frame is never buffered: the sender's
 * connection is dropped and it reconnects. {@code maxMessageBytes} and {@code maxFrames} bound a
 * whole multipart message and are checked before its signature is computed.
 *
 * <p>The default (32 MiB) is above what Jupyter Server relays from a browser (Tornado's WebSocket
 * limit is 10 MiB), so only a client talking to the ports directly can meet it.
 */
public record MessageLimits(long maxFrameBytes, long maxMessageBytes, int maxFrames, int iopubQueue) {
    public static final String MAX_BYTES_ENV = "HPC_KERNEL_MAX_MESSAGE_BYTES";
    public static final String IOPUB_QUEUE_ENV = "HPC_KERNEL_IOPUB_QUEUE";
    public static final long DEFAULT_MAX_BYTES = 32L << 20;
    public static final int DEFAULT_MAX_FRAMES = 1024;
    public static final int DEFAULT_IOPUB_QUEUE = 1000;

    public MessageLimits {
        if (maxFrameBytes < 1 || maxMessageBytes < maxFrameBytes || maxFrames < 7 || iopubQueue < 1) {
            throw new IllegalArgumentException("inconsistent message limits");
        }
    }

    public static MessageLimits defaults() {
        return new MessageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES, DEFAULT_MAX_FRAMES, DEFAULT_IOPUB_QUEUE);
    }

    /**
     * From {@value #MAX_BYTES_ENV} (bytes, or with a K/M/G suffix: "64M") and
     * {@value #IOPUB_QUEUE_ENV} (messages waiting for a slow subscriber before producers wait).
     *
     * @throws IllegalArgumentException naming the variable and the expected form
     */
    public static MessageLimits fromEnvironment(Map<String, String> env) {
        long bytes = DEFAULT_MAX_BYTES;
        String text = env.get(MAX_BYTES_ENV);
        if (text != null && !text.isBlank()) bytes = parseBytes(MAX_BYTES_ENV, text.strip());
        int queue = DEFAULT_IOPUB_QUEUE;
        String q = env.get(IOPUB_QUEUE_ENV);
        if (q != null && !q.isBlank()) {
            try {
                queue = Integer.parseInt(q.strip());
            } catch (NumberFormatException e) {
                queue = -1;
            }
            if (queue < 1) throw new IllegalArgumentException(IOPUB_QUEUE_ENV + "=" + q + " is not a positive number of messages");
        }
        return new MessageLimits(bytes, bytes, DEFAULT_MAX_FRAMES, queue);
    }

    private static long parseBytes(String name, String text) {
        String t = text.toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits.strip());
            if (n > 0 && n <= Long.MAX_VALUE / unit && n * unit >= 1024) return n * unit;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + text + " is not a size of at least 1024 bytes (write e.g. 64M or 1048576)");
    }
}
