package org.hpckernel.hpc.scheduler;

import java.util.regex.Pattern;

/**
 * What a value may hold before it goes into one scheduler's directive line or argv, and the rule in
 * words for the error: {@code new Allowed("LSF", "[A-Za-z0-9_.+-]+", "letters, digits and _ . + -")}.
 * Values are checked, never quoted: a directive line is read by the scheduler's own parser.
 */
record Allowed(String scheduler, Pattern pattern, String rule) {
    Allowed(String scheduler, String regex, String rule) {
        this(scheduler, Pattern.compile(regex), rule);
    }

    /** The value when it is allowed (null stays null: "not asked"); else an error naming the option, the rule and the value. */
    String check(String what, String value) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be " + rule + " (for " + scheduler + "): "
                    + SchedulerText.printable(value));
        }
        return value;
    }

    /** A directory, checked without its trailing slashes, which are left off ("/" stays "/"). */
    String directory(String what, String dir) {
        return dir == null ? null : check(what, SchedulerText.withoutTrailingSlashes(dir));
    }
}
