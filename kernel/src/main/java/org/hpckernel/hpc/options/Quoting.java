package org.hpckernel.hpc.options;

/**
 * Shows a user-supplied value inside an error message. A rejected value may contain anything
 * (line breaks, terminal escapes, bidi overrides), so it is always shown double-quoted and
 * Java-escaped: what the user sees is exactly what was typed, and it cannot forge extra lines or
 * reorder the message around it.
 */
public final class Quoting {
    /** Longer values are cut: the start is enough to recognise what was meant. */
    static final int MAX_SHOWN = 120;

    private Quoting() {}

    public static String quote(String value) {
        if (value == null) return "null";
        StringBuilder s = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 2).append('"');
        int limit = Math.min(value.length(), MAX_SHOWN);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    if (isInvisible(c)) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
                }
            }
        }
        s.append('"');
        if (value.length() > limit) s.append("… (").append(value.length()).append(" characters)");
        return s.toString();
    }

    /** Characters that would not show as themselves: controls, format (bidi, zero-width), separators, lone surrogates. */
    private static boolean isInvisible(char c) {
        if (Character.isISOControl(c)) return true;
        return switch (Character.getType(c)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }
}
