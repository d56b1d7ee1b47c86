package org.hpckernel.hpc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A task's exit marker as job.sh's EXIT trap writes it:
 * {@code CODE EPOCH_SECONDS HOSTNAME RUN stdout=N stderr=N events=N}. The sizes are those of the
 * files the kernel follows, taken after the payload exited (see {@link BatchScript}); they come
 * last so that a reader of the first four words parses any marker. A marker of an older job.sh,
 * or of a job stopped by a signal while its payload may still write, has no sizes.
 *
 * @param code null when the marker is empty or half visible (not an end yet)
 * @param host null when absent
 * @param run 1 for a marker without a run number (an older job.sh)
 * @param sizes empty when the marker records none
 */
public record ExitMarker(Integer code, String host, int run, Optional<Sizes> sizes) {
    static final String STDOUT = "stdout";
    static final String STDERR = "stderr";
    static final String EVENTS = "events";

    /** Bytes in the task's stdout, stderr and events files when the job ended (totals over every run). */
    public record Sizes(long stdout, long stderr, long events) {}

    public static ExitMarker parse(byte[] marker) {
        String[] words = words(marker);
        Integer code = null;
        try {
            if (words.length > 0) code = Integer.parseInt(words[0]);
        } catch (NumberFormatException e) {
            // half written or not yet visible whole: not an end
        }
        return new ExitMarker(code, words.length > 2 ? words[2] : null, runAt(words, 3), sizes(words));
    }

    /** A marker's words (start and exit markers alike); none for an empty one. */
    static String[] words(byte[] marker) {
        String text = new String(marker, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? new String[0] : text.split("\\s+");
    }

    /** The run number a marker carries at {@code position}; markers of an older job.sh carry none: run 1. */
    static int runAt(String[] words, int position) {
        if (words.length <= position) return 1;
        try {
            return Math.max(1, Integer.parseInt(words[position]));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** All three sizes, or none (then the task ends as with an older marker, once its files stop growing). */
    private static Optional<Sizes> sizes(String[] words) {
        Long out = null;
        Long err = null;
        Long events = null;
        for (int i = 4; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq < 0) continue;
            Long n = number(words[i].substring(eq + 1));
            switch (words[i].substring(0, eq)) {
                case STDOUT -> out = n;
                case STDERR -> err = n;
                case EVENTS -> events = n;
                default -> { } // a later job.sh's field
            }
        }
        return out == null || err == null || events == null ? Optional.empty() : Optional.of(new Sizes(out, err, events));
    }

    private static Long number(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) return null;
        return Long.parseLong(s);
    }
}
