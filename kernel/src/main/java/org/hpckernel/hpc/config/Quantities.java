package org.hpckernel.hpc.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ("500ms", "1s", "2m", "1h") and byte sizes ("1MB", "512KB", "1048576") of the monitoring settings. */
final class Quantities {
    static final String DURATION_FORM = "a duration such as 500ms, 1s, 2m or 1h";
    static final String SIZE_FORM = "a size in bytes such as 1048576, 512KB, 1MB or 1GB (K/M/G are powers of 1024)";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    private Quantities() {}

    /** A positive duration, or null when the text is not one. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return d.isZero() ? null : d;
    }

    /** A positive number of bytes, or null when the text is not one (or too large). */
    static Long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> 1;
        };
        try {
            long bytes = Math.multiplyExact(n, unit);
            return bytes == 0 ? null : bytes;
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
