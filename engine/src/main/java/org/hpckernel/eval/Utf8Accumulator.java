package org.hpckernel.eval;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 bytes that arrive in arbitrary pieces. A multi-byte character split across two
 * writes is kept as a tail until its last byte arrives, so it never turns into U+FFFD. Not
 * thread-safe: the owning {@link StreamCoalescer} guards it.
 */
final class Utf8Accumulator {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private final byte[] tail = new byte[8];
    private int tailLength;

    void decode(byte[] bytes, int offset, int length, StringBuilder out) {
        if (tailLength == 0) {
            // ASCII prefix: by far the common case, copied without the decoder.
            int end = offset + length;
            int ascii = offset;
            while (ascii < end && bytes[ascii] >= 0) {
                ascii++;
            }
            if (ascii > offset) {
                out.append(new String(bytes, offset, ascii - offset, StandardCharsets.ISO_8859_1));
            }
            if (ascii == end) {
                return;
            }
            length = end - ascii;
            offset = ascii;
        }
        ByteBuffer in;
        if (tailLength > 0) {
            byte[] joined = new byte[tailLength + length];
            System.arraycopy(tail, 0, joined, 0, tailLength);
            System.arraycopy(bytes, offset, joined, tailLength, length);
            in = ByteBuffer.wrap(joined);
            tailLength = 0;
        } else {
            in = ByteBuffer.wrap(bytes, offset, length);
        }
        drain(in, false, out);
        // The decoder leaves an incomplete trailing sequence (at most 3 bytes) unread.
        tailLength = in.remaining();
        in.get(tail, 0, tailLength);
    }

    void decode(int oneByte, StringBuilder out) {
        if (tailLength == 0 && (oneByte & 0x80) == 0) {
            out.append((char) oneByte);
        } else {
            decode(new byte[] {(byte) oneByte}, 0, 1, out);
        }
    }

    boolean hasTail() {
        return tailLength > 0;
    }

    /** Text is being written after half a character: that character can never complete. */
    void abandonTail(StringBuilder out) {
        if (tailLength == 0) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(tail, 0, tailLength);
        tailLength = 0;
        drain(in, true, out);
        decoder.flush(chars);
        appendChars(out);
        decoder.reset();
    }

    private void drain(ByteBuffer in, boolean endOfInput, StringBuilder out) {
        while (true) {
            CoderResult result = decoder.decode(in, chars, endOfInput);
            appendChars(out);
            if (result.isUnderflow()) {
                return;
            }
        }
    }

    private void appendChars(StringBuilder out) {
        chars.flip();
        out.append(chars);
        chars.clear();
    }
}
