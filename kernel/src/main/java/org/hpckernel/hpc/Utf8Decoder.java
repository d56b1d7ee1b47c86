package org.hpckernel.hpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns chunks of a growing file into text without breaking a multi-byte character that a
 * chunk boundary cut in two: the incomplete tail waits for the next chunk.
 */
final class Utf8Decoder {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    String decode(byte[] chunk) {
        pending.writeBytes(chunk);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** What is left at the end of the file (a truncated character is shown as U+FFFD). */
    String finish() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return new String(rest, StandardCharsets.UTF_8);
    }

    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= 3 && n - back >= 0; back++) {
            int c = b[n - back] & 0xff;
            if (c < 0x80) return n;
            if (c >= 0xc0) {
                int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
                return back >= need ? n : n - back;
            }
        }
        return n;
    }
}
