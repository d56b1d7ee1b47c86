package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.hpckernel.hpc.transport.CommandResult;

/** Reading what the scheduler commands print: the small checks every adapter makes the same way. */
final class SchedulerText {
    private SchedulerText() {}

    /** True when {@code text} contains one of the phrases, ignoring case (the phrases are given in lower case). */
    static boolean mentionsAny(String text, List<String> lowerCasePhrases) {
        String t = text.toLowerCase(Locale.ROOT);
        for (String phrase : lowerCasePhrases) {
            if (t.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    /** A command that timed out, or failed with one of the scheduler's "try again later" phrases. */
    static boolean failedTransiently(CommandResult result, List<String> lowerCasePhrases) {
        return result.timedOut() || (result.exitCode() != 0 && mentionsAny(result.output(), lowerCasePhrases));
    }

    /** The numerically highest of the ids (all digits), the first of equals; empty for no ids. */
    static Optional<String> highestId(Stream<String> ids) {
        return highestId(ids, Long::parseLong);
    }

    /**
     * The id with the highest number, the first of equals; empty for no ids. A lone id is returned
     * without being read; otherwise an id whose number cannot be read throws what {@code number}
     * throws.
     */
    static Optional<String> highestId(Stream<String> ids, ToLongFunction<String> number) {
        return ids.reduce((best, id) -> number.applyAsLong(id) > number.applyAsLong(best) ? id : best);
    }
}
