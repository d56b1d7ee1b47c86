package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Slurm's time and size notations: {@code --time} values, sacct durations, sacct memory sizes. */
final class SlurmTime {
    private SlurmTime() {}

    private static final long MINUTES_PER_DAY = 24 * 60;

    /**
     * A time limit for {@code --time}: Slurm keeps whole minutes, so the duration is rounded up to
     * a whole minute (at least one) and rendered as {@code HH:MM:SS} or, from one day on,
     * {@code D-HH:MM:SS}. 90 s gives {@code 00:02:00}; 26 h gives {@code 1-02:00:00}.
     */
    static String formatLimit(Duration limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("--time must not be negative: " + limit);
        }
        long minutes = limit.toMinutes();
        if (!limit.equals(Duration.ofMinutes(minutes))) {
            minutes++; // any part of a minute counts as a whole one
        }
        minutes = Math.max(1, minutes);
        long days = minutes / MINUTES_PER_DAY;
        long hours = (minutes % MINUTES_PER_DAY) / 60;
        long mins = minutes % 60;
        return days > 0
                ? String.format(Locale.ROOT, "%d-%02d:%02d:00", days, hours, mins)
                : String.format(Locale.ROOT, "%02d:%02d:00", hours, mins);
    }

    // [D-][[H:]M:]S[.fff] as sacct prints Elapsed (HH:MM:SS, D-HH:MM:SS) and TotalCPU (MM:SS.mmm).
    private static final Pattern DURATION =
            Pattern.compile("(?:(\\d+)-)?(?:(?:(\\d+):)?(\\d+):)?(\\d+)(?:\\.(\\d{1,9}))?");
    // With a day prefix a shorter value reads from the left, as in Slurm's input syntax: D-H, D-H:M.
    private static final Pattern DAYS_SHORT = Pattern.compile("(\\d+)-(\\d+)(?::(\\d+))?");

    /** An sacct duration, or null for an empty, UNLIMITED, INVALID or otherwise unreadable value. */
    static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        Matcher m = DURATION.matcher(s);
        if (m.matches() && (m.group(1) == null || m.group(2) != null)) {
            long seconds = Long.parseLong(m.group(4));
            if (m.group(3) != null) {
                seconds += 60 * Long.parseLong(m.group(3));
            }
            if (m.group(2) != null) {
                seconds += 3600 * Long.parseLong(m.group(2));
            }
            if (m.group(1) != null) {
                seconds += 86400 * Long.parseLong(m.group(1));
            }
            long nanos = 0;
            if (m.group(5) != null) {
                String frac = (m.group(5) + "000000000").substring(0, 9);
                nanos = Long.parseLong(frac);
            }
            return Duration.ofSeconds(seconds, nanos);
        }
        Matcher d = DAYS_SHORT.matcher(s);
        if (d.matches()) {
            long minutes = Long.parseLong(d.group(1)) * MINUTES_PER_DAY + Long.parseLong(d.group(2)) * 60
                    + (d.group(3) == null ? 0 : Long.parseLong(d.group(3)));
            return Duration.ofMinutes(minutes);
        }
        return null;
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGTP]?)", Pattern.CASE_INSENSITIVE);

    /**
     * An sacct memory value ({@code 221236K}, {@code 4.50M}, {@code 2G}, {@code 0}) in bytes, or
     * null when empty or unreadable. Units are binary (K = 1024); a bare number is bytes.
     */
    static Long parseBytes(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "KMGTP".indexOf(unit) + 1;
        double value = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
        return Math.round(value);
    }
}
