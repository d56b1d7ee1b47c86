package org.hpckernel.hpc.options;

import java.time.Duration;

/**
 * sbatch's time syntax to a {@link Duration}: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.
 * The leading field may be any size ("90" is 90 minutes); the fields after it are clock fields
 * and must stay below 60 (or 24 for hours after a day count), which catches typos like 1:75.
 */
public final class TimeLimits {
    /**
     * The largest limit accepted. Schedulers keep limits as 32-bit minute counts, so anything that
     * fits in an int of minutes can be passed to any of them; larger is a typo, not a plan.
     */
    public static final Duration MAX = Duration.ofMinutes(Integer.MAX_VALUE);

    private TimeLimits() {}

    public static Duration parse(String text) throws BadValueException {
        if (text == null || !HpcOption.TIME.accepts(text)) throw new BadValueException(OptionForms.notA(HpcOption.TIME, text));
        try {
            long seconds;
            int dash = text.indexOf('-');
            if (dash >= 0) {
                long days = number(text.substring(0, dash));
                String[] clock = text.substring(dash + 1).split(":");
                long hours = below(text, clock[0], 24, "hours");
                long minutes = clock.length > 1 ? below(text, clock[1], 60, "minutes") : 0;
                long secs = clock.length > 2 ? below(text, clock[2], 60, "seconds") : 0;
                seconds = Math.addExact(Math.multiplyExact(days, 86_400), hours * 3600 + minutes * 60 + secs);
            } else {
                String[] f = text.split(":");
                seconds = switch (f.length) {
                    case 1 -> Math.multiplyExact(number(f[0]), 60);
                    case 2 -> Math.addExact(Math.multiplyExact(number(f[0]), 60), below(text, f[1], 60, "seconds"));
                    default -> Math.addExact(Math.multiplyExact(number(f[0]), 3600),
                            below(text, f[1], 60, "minutes") * 60 + below(text, f[2], 60, "seconds"));
                };
            }
            if (seconds == 0) {
                // sbatch reads 0 as "no limit"; a cell must say how long it may run.
                throw new BadValueException(Quoting.quote(text) + " is zero; expected a positive time limit ("
                        + OptionForms.expected(HpcOption.TIME) + ")");
            }
            Duration limit = Duration.ofSeconds(seconds);
            if (limit.compareTo(MAX) > 0) throw tooLong(text);
            return limit;
        } catch (ArithmeticException | NumberFormatException overflow) {
            throw tooLong(text);
        }
    }

    private static long number(String digits) {
        return Long.parseLong(digits);
    }

    private static long below(String text, String digits, int bound, String unit) throws BadValueException {
        long value = Long.parseLong(digits);
        if (value >= bound) {
            throw new BadValueException(Quoting.quote(text) + " has " + value + " " + unit + "; " + unit
                    + " must be below " + bound + " in " + OptionForms.expected(HpcOption.TIME));
        }
        return value;
    }

    private static BadValueException tooLong(String text) {
        return new BadValueException(Quoting.quote(text) + " is too long a time limit; at most "
                + MAX.toDays() + " days");
    }
}
