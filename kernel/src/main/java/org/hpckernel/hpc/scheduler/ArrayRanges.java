package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hpckernel.hpc.options.ArraySpec;

/**
 * The spellings of an sbatch-style {@code --array} spec ("0-15%4", "1,3,5") that other schedulers
 * take: one evenly spaced range ({@code 1-5:2}), runs of consecutive ids ({@code 1-3,5}), and the
 * {@code %N} throttle apart.
 */
final class ArrayRanges {
    private ArrayRanges() {}

    /** The spec without its {@code %N} throttle. */
    static String body(String array) {
        int pct = array.indexOf('%');
        return pct < 0 ? array : array.substring(0, pct);
    }

    /** N of a {@code %N} throttle, or null; one that is not a positive number is refused. */
    static String throttle(String array) {
        int pct = array.indexOf('%');
        if (pct < 0) {
            return null;
        }
        String n = array.substring(pct + 1);
        if (!n.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("--array throttle must be a positive number: " + array);
        }
        return n;
    }

    /** {@code 1,3,5} -> {@code 1-5:2}; {@code 2-7} -> {@code 2-7}; one id -> itself; uneven -> null. */
    static String even(List<Integer> ids) {
        if (ids.size() == 1) {
            return Integer.toString(ids.get(0));
        }
        int step = ids.get(1) - ids.get(0);
        for (int i = 2; i < ids.size(); i++) {
            if (ids.get(i) - ids.get(i - 1) != step) {
                return null;
            }
        }
        String range = ids.get(0) + "-" + ids.get(ids.size() - 1);
        return step == 1 ? range : range + ":" + step;
    }

    /** Runs of consecutive ids, comma-separated: {@code 1,2,3,5} -> {@code 1-3,5} (steps spelled out). */
    static String runs(List<Integer> ids) {
        List<String> parts = new ArrayList<>();
        int start = ids.get(0);
        for (int i = 1; i <= ids.size(); i++) {
            if (i == ids.size() || ids.get(i) != ids.get(i - 1) + 1) {
                int end = ids.get(i - 1);
                parts.add(start == end ? Integer.toString(start) : start + "-" + end);
                start = i < ids.size() ? ids.get(i) : start;
            }
        }
        return String.join(",", parts);
    }

    /**
     * Refuses a spec with index 0 for a scheduler whose indices start at 1, suggesting the same
     * spec shifted by one (steps and throttle kept: {@code 0,2,4-8:2%3} -> {@code 1,3,5-9:2%3}).
     */
    static void fromOne(String array, String scheduler, String why) throws UnsupportedOptionException {
        if (ArraySpec.indices(body(array)).get(0) == 0) {
            String shifted = NOT_A_STEP.matcher(array).replaceAll(n -> Long.toString(Long.parseLong(n.group()) + 1));
            throw new UnsupportedOptionException(scheduler, "--array " + array, why + "; shift the range, e.g. " + shifted);
        }
    }

    /** Numbers that are indices: not a step (after ':') nor a throttle (after '%'). */
    private static final Pattern NOT_A_STEP = Pattern.compile("(?<![:%0-9])[0-9]+");

    /** {@link #even} of the spec's indices, or a refusal: "WHY, not the list BODY". */
    static String evenRange(String array, String scheduler, String why) throws UnsupportedOptionException {
        String range = even(ArraySpec.indices(body(array)));
        if (range == null) {
            throw new UnsupportedOptionException(scheduler, "--array " + array, why + ", not the list " + body(array));
        }
        return range;
    }
}
