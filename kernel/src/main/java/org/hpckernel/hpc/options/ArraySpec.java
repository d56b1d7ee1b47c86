package org.hpckernel.hpc.options;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The task indices of a job array spec in sbatch syntax ("1-4", "1,3,5", "0-20:5", "0-15%4").
 * The kernel needs them to follow each task's files; "%N" (throttle) does not change the set.
 */
public final class ArraySpec {
    /** Far more tasks than a notebook cell can sensibly follow. */
    public static final int MAX_TASKS = 10_000;

    private ArraySpec() {}

    public static List<Integer> indices(String spec) {
        String body = spec.contains("%") ? spec.substring(0, spec.indexOf('%')) : spec;
        TreeSet<Integer> all = new TreeSet<>();
        for (String part : body.split(",")) {
            int step = 1;
            String range = part;
            int colon = part.indexOf(':');
            if (colon >= 0) {
                step = Integer.parseInt(part.substring(colon + 1));
                range = part.substring(0, colon);
            }
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            if (to < from) throw new IllegalArgumentException("array range " + part + " ends before it starts");
            if (step < 1) throw new IllegalArgumentException("array step must be at least 1 in " + part);
            for (long i = from; i <= to; i += step) {
                all.add((int) i);
                if (all.size() > MAX_TASKS) {
                    throw new IllegalArgumentException("--array " + spec + " has more than " + MAX_TASKS + " tasks");
                }
            }
        }
        return new ArrayList<>(all);
    }
}
