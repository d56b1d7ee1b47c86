package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times and sizes as bjobs prints them: {@code RUN_TIME} "16038 second(s)" (or hh:mm:ss with
 * {@code -hms}), {@code CPU_USED} "00:00:01" or "0.5 second(s)", {@code MAX_MEM} "5.2 Gbytes",
 * "12 Mbytes", "100 Kbytes" (in the unit of LSF_UNIT_FOR_LIMITS when no word follows).
 */
final class LsfUnits {
    private LsfUnits() {}

    private static final Pattern SECONDS = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*second\\(s\\)");
    private static final Pattern HMS = Pattern.compile("(?:([0-9]+):)?([0-9]+):([0-9]+)(?:\\.([0-9]+))?");
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTP]?)(?:bytes|B)?",
            Pattern.CASE_INSENSITIVE);

    static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        Matcher s = SECONDS.matcher(t);
        if (s.matches()) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.group(1)) * 1000));
        }
        Matcher h = HMS.matcher(t);
        if (h.matches()) {
            long hours = h.group(1) == null ? 0 : Long.parseLong(h.group(1));
            Duration d = Duration.ofHours(hours).plusMinutes(Long.parseLong(h.group(2)))
                    .plusSeconds(Long.parseLong(h.group(3)));
            if (h.group(4) != null) {
                d = d.plusMillis(Math.round(Double.parseDouble("0." + h.group(4)) * 1000));
            }
            return d;
        }
        return null;
    }

    /** Bytes; a number without a unit is taken as KB (LSF's default unit for limits). */
    static Long bytes(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int power = switch (unit) {
            case "M" -> 2;
            case "G" -> 3;
            case "T" -> 4;
            case "P" -> 5;
            default -> 1; // K, or none
        };
        return Math.round(v * Math.pow(1024, power));
    }
}
