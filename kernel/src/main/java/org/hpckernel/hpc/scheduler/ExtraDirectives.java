package org.hpckernel.hpc.scheduler;

import java.util.List;

/**
 * The profile's {@code extraDirectives}: raw directive lines for what a job spec cannot say (a
 * site's licence, constraint or project flags), written after the generated ones. They are checked
 * as directive lines of the scheduler, never run as shell: each is one line (no line break or other
 * control character, which is the only way out of a {@code #} comment into the script) that starts
 * with the scheduler's directive prefix and a space, and says something after it.
 */
final class ExtraDirectives {
    private ExtraDirectives() {}

    /** The lines, checked; an empty list for null. */
    static List<String> check(String scheduler, String prefix, List<String> lines) {
        if (lines == null) {
            return List.of();
        }
        for (String line : lines) {
            if (line == null) {
                throw new IllegalArgumentException("extraDirectives: a line is null; give " + scheduler
                        + " directive lines such as \"" + prefix + " ...\"");
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                    throw new IllegalArgumentException("extraDirectives: " + SchedulerText.printable(line)
                            + " contains a line break or control character (U+" + String.format("%04X", (int) c)
                            + "); give one directive per list entry");
                }
            }
            if (!line.startsWith(prefix + " ") || line.substring(prefix.length()).isBlank()) {
                throw new IllegalArgumentException("extraDirectives: \"" + line + "\" is not a " + scheduler
                        + " directive line; each must start with \"" + prefix + " \" followed by the option as "
                        + scheduler + " reads it there");
            }
        }
        return List.copyOf(lines);
    }
}
