package org.hpckernel.values;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Serialization streams for tests, including those no checked writer would produce. */
public final class SerialStreams {
    private SerialStreams() {}

    /** A stream written by a plain ObjectOutputStream, with no checks: what a hostile file could hold. */
    public static byte[] raw(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    public static byte[] bytes(String serializedText) {
        return Base64.getDecoder().decode(serializedText.substring(SerialValues.PREFIX.length()));
    }

    public static String text(byte[] stream) {
        return SerialValues.PREFIX + Base64.getEncoder().encodeToString(stream);
    }

    /**
     * The stream with every class name {@code from} (as a stream writes it: its length, then its
     * modified UTF-8) renamed {@code to}; fails when the stream has no such name.
     */
    public static byte[] rename(byte[] stream, String from, String to) {
        byte[] old = utf(from);
        byte[] replacement = utf(to);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        int renamed = 0;
        while (i < stream.length) {
            if (i + old.length <= stream.length && Arrays.equals(stream, i, i + old.length, old, 0, old.length)) {
                out.write(replacement, 0, replacement.length);
                i += old.length;
                renamed++;
            } else {
                out.write(stream[i++]);
            }
        }
        if (renamed == 0) {
            throw new IllegalArgumentException("no class name " + from + " in the stream");
        }
        return out.toByteArray();
    }

    private static byte[] utf(String name) {
        byte[] chars = name.getBytes(StandardCharsets.UTF_8);
        byte[] withLength = new byte[chars.length + 2];
        withLength[0] = (byte) (chars.length >> 8);
        withLength[1] = (byte) chars.length;
        System.arraycopy(chars, 0, withLength, 2, chars.length);
        return withLength;
    }
}
