package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.List;

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
}
