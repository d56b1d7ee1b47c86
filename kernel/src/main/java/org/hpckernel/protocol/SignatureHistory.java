package org.hpckernel.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The signatures of recently accepted messages, so that a captured message sent again (a replay)
 * is refused, as jupyter_client's Session does with its digest history. Memory is bounded: past
 * {@code capacity} entries the oldest are forgotten. A signature covers the header, whose msg_id
 * and date are unique per message, so a legitimate client never repeats one.
 */
public final class SignatureHistory {
    /** jupyter_client's digest_history_size. */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    private final int capacity;
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();

    public SignatureHistory(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
    }

    /** Records the signature; false when it was already recorded (the message is a replay). */
    public synchronized boolean firstSighting(byte[] signature) {
        if (!seen.add(new String(signature, StandardCharsets.US_ASCII))) return false;
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    public synchronized int size() {
        return seen.size();
    }
}
