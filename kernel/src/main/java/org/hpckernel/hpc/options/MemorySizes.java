package org.hpckernel.hpc.options;

import java.util.Locale;

/**
 * sbatch's --mem syntax to megabytes: no unit means M (as sbatch), K rounds up to whole
 * megabytes, G is ×1024 and T ×1024². A trailing B ("4GB") is tolerated after a unit.
 */
public final class MemorySizes {
    private MemorySizes() {}

    public static long megabytes(String text) throws BadValueException {
        if (text == null || !HpcOption.MEM.accepts(text)) throw new BadValueException(OptionForms.notA(HpcOption.MEM, text));
        String s = text.toUpperCase(Locale.ROOT);
        boolean bytesSuffix = s.endsWith("B");
        if (bytesSuffix) s = s.substring(0, s.length() - 1);
        char last = s.charAt(s.length() - 1);
        if (Character.isDigit(last)) {
            // "512B" would be 512 bytes, which no job means; most likely a unit letter is missing.
            if (bytesSuffix) {
                throw new BadValueException(Quoting.quote(text) + " has no unit before B; expected "
                        + OptionForms.expected(HpcOption.MEM));
            }
            return Long.parseLong(s);
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (last) {
            case 'K' -> (n + 1023) / 1024;
            case 'M' -> n;
            case 'G' -> Math.multiplyExact(n, 1024L);
            case 'T' -> Math.multiplyExact(n, 1024L * 1024L);
            default -> throw new BadValueException(OptionForms.notA(HpcOption.MEM, text));
        };
    }
}
