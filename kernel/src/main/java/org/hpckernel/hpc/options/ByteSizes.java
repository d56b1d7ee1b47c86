package org.hpckernel.hpc.options;

import java.util.Locale;

/** {@code --max-input}'s sizes to bytes: a number alone is bytes; K, M and G (with optional i and B) are powers of 1024. */
public final class ByteSizes {
    private ByteSizes() {}

    public static long bytes(String text) throws BadValueException {
        if (text == null || !HpcOption.MAX_INPUT.accepts(text)) throw new BadValueException(OptionForms.notA(HpcOption.MAX_INPUT, text));
        String s = text.toUpperCase(Locale.ROOT).replaceFirst("I?B$", "").replaceFirst("I$", "");
        char last = s.charAt(s.length() - 1);
        long unit = switch (last) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1L;
        };
        long n = Long.parseLong(Character.isDigit(last) ? s : s.substring(0, s.length() - 1));
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new BadValueException(Quoting.quote(text) + " is too large; expected " + OptionForms.expected(HpcOption.MAX_INPUT));
        }
    }

    /** For messages: 1536 → "1.5 KiB". */
    public static String describe(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]) + " (" + bytes + " bytes)";
    }
}
