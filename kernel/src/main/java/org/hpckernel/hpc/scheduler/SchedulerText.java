package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * The small checks every adapter makes the same way: reading what the scheduler commands print,
 * checking values before they go into a directive or an argv, naming the option a refusal is about.
 */
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

    /** ": stdout\nstderr" of a command, for a message; "" when it printed nothing. */
    static String tail(CommandResult r) {
        String out = (r.stdout().strip() + "\n" + r.stderr().strip()).strip();
        return out.isEmpty() ? "" : ": " + out;
    }

    /** A value as a message can show it: line breaks visible, null as "null". */
    static String printable(String value) {
        return value == null ? "null" : value.replace("\n", "\\n").replace("\r", "\\r");
    }

    /** The directory without trailing slashes ("/" stays "/"). */
    static String withoutTrailingSlashes(String dir) {
        while (dir.length() > 1 && dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        return dir;
    }

    /** A job id we put on a command line: it must look like one of this scheduler's ids. */
    static String requireJobId(String id, Pattern jobId, String aScheduler) {
        if (id == null || !jobId.matcher(id).matches()) {
            throw new IllegalArgumentException("not " + aScheduler + " job id: " + id);
        }
        return id;
    }

    /**
     * The option a refusal is about, for its hint: "--opt value"; just "--opt" when the spec is
     * unknown; null when the spec does not set it (then the refusal is about something else).
     */
    static String option(String option, String value, JobSpec spec) {
        if (value != null) {
            return option + " " + value;
        }
        return spec == null ? option : null;
    }

    /**
     * The options a refusal blames, as the cell wrote them ("--nodes 2, --ntasks 4", then
     * {@code more}); without a spec, the layout options in general; null when the spec sets none.
     */
    static String layoutOptions(JobSpec spec, String... more) {
        if (spec == null) return "--nodes/--ntasks/--cpus-per-task";
        List<String> parts = new ArrayList<>();
        if (spec.nodes() != null) parts.add("--nodes " + spec.nodes());
        if (spec.ntasks() != null) parts.add("--ntasks " + spec.ntasks());
        if (spec.cpusPerTask() != null) parts.add("--cpus-per-task " + spec.cpusPerTask());
        for (String m : more) if (m != null) parts.add(m);
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /** A time limit in whole seconds, rounded up, at least 1 (a {@link JobSpec} has none negative). */
    static long limitSeconds(Duration limit) {
        return Math.max(1, limit.getSeconds() + (limit.getNano() > 0 ? 1 : 0));
    }

    /** A time limit in whole seconds, rounded up, for a scheduler that refuses a zero limit. */
    static long positiveSeconds(Duration limit) {
        long seconds = limit.getSeconds() + (limit.getNano() > 0 ? 1 : 0);
        if (seconds <= 0) {
            throw new IllegalArgumentException("--time must be positive: " + limit);
        }
        return seconds;
    }

    /** {@code H:MM:SS} ({@code HH:MM:SS} with {@code twoDigitHours}), hours as many as needed. */
    static String hms(long seconds, boolean twoDigitHours) {
        return String.format(Locale.ROOT, twoDigitHours ? "%02d:%02d:%02d" : "%d:%02d:%02d",
                seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }

    /** {@code --mem} as the cell wrote it ("4096M"), for a refusal's hint; null when not asked. */
    static String mem(JobSpec spec) {
        return spec.memMegabytes() == null ? null : spec.memMegabytes() + "M";
    }

    /**
     * The CPU options a refusal blames ("--ntasks 2, --cpus-per-task 4"); without a spec, both
     * names; null when the spec sets neither.
     */
    static String cpuOptions(JobSpec spec) {
        if (spec == null) return "--cpus-per-task/--ntasks";
        List<String> parts = new ArrayList<>();
        if (spec.ntasks() != null) parts.add("--ntasks " + spec.ntasks());
        if (spec.cpusPerTask() != null) parts.add("--cpus-per-task " + spec.cpusPerTask());
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static final Pattern GPUS = Pattern.compile("(?:([A-Za-z0-9_-]+):)?([1-9][0-9]*)");

    /** {@code --gpus} read as {@code N} or {@code TYPE:N}: group 1 the type (or null), group 2 the count. */
    static Matcher gpus(String gpus) {
        Matcher m = GPUS.matcher(gpus.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--gpus must be N or TYPE:N: " + gpus);
        }
        return m;
    }

    /**
     * The name as a scheduler that restricts names records it: "hpc-job" for none; checked; a "j"
     * in front when its first character may not start a name; cut to {@code limit} characters.
     */
    static String jobName(String name, Allowed chars, IntPredicate mayStartWith, int limit) {
        if (name == null) {
            return "hpc-job";
        }
        String n = mayStartWith.test(chars.check("--job-name", name).charAt(0)) ? name : "j" + name;
        return n.length() > limit ? n.substring(0, limit) : n;
    }

    /** A command followed by the ids it is about. */
    static List<String> argv(List<String> command, List<String> ids) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(ids);
        return argv;
    }

    /** The number an id starts with: {@code 123} of {@code 123[].srv} or of {@code 123}. */
    static long leadingNumber(String jobId) {
        int end = 0;
        while (end < jobId.length() && Character.isDigit(jobId.charAt(end))) {
            end++;
        }
        return Long.parseLong(jobId.substring(0, end));
    }

    /** At most 300 characters of a scheduler's output, for an error message. */
    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
