package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Slurm's job id notations as squeue/sacct print them: {@code 12}, array tasks {@code 8_1},
 * pending array ranges {@code 8_[2-4]} / {@code 8_[1,3,5-7%2]}, heterogeneous job components
 * {@code 12+0}, steps {@code 12.batch} / {@code 8_1.0}.
 */
final class SlurmIds {
    private SlurmIds() {}

    /** What we put on a command line: a job id or one array task ({@code 8_1}). */
    static final Pattern JOB_ID = Pattern.compile("[0-9]{1,12}(?:_[0-9]{1,9})?");

    /** Largest pending range {@link #expand} spells out; a bigger one stays as printed. */
    static final int MAX_EXPAND = 100_000;

    static String requireJobId(String id) {
        return SchedulerText.requireJobId(id, JOB_ID, "a Slurm");
    }

    /** The job (for an array: the array's) id: the leading digits of {@code 8_1}, {@code 12+0}, {@code 12.batch}. */
    static String base(String id) {
        int i = 0;
        while (i < id.length() && Character.isDigit(id.charAt(i))) {
            i++;
        }
        return id.substring(0, i);
    }

    /** The allocation part of a step id: {@code 8_1.batch} -> {@code 8_1}; null for a non-step. */
    static String stepOwner(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? null : id.substring(0, dot);
    }

    /** True for an array task or range ({@code 8_1}, {@code 8_[2-4]}) or a het component ({@code 12+0}). */
    static boolean isPart(String id) {
        return id.indexOf('_') >= 0 || id.indexOf('+') >= 0;
    }

    /**
     * One entry per task: {@code 8_[1-3,5%2]} -> 8_1, 8_2, 8_3, 8_5. Anything else, or a range
     * larger than {@link #MAX_EXPAND} or unreadable, comes back as the single id it was.
     */
    static List<String> expand(String id) {
        int open = id.indexOf("_[");
        if (open < 0 || !id.endsWith("]")) {
            return List.of(id);
        }
        String job = id.substring(0, open);
        String spec = id.substring(open + 2, id.length() - 1);
        int pct = spec.indexOf('%');
        if (pct >= 0) {
            spec = spec.substring(0, pct); // throttle: "%2" = at most 2 running at once
        }
        List<String> out = new ArrayList<>();
        try {
            for (String item : spec.split(",")) {
                long step = 1;
                int colon = item.indexOf(':');
                if (colon >= 0) {
                    step = Long.parseLong(item.substring(colon + 1));
                    item = item.substring(0, colon);
                }
                int dash = item.indexOf('-');
                long from = Long.parseLong(dash < 0 ? item : item.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(item.substring(dash + 1));
                if (step < 1 || to < from || out.size() + (to - from) / step >= MAX_EXPAND) {
                    return List.of(id);
                }
                for (long t = from; t <= to; t += step) {
                    out.add(job + "_" + t);
                }
            }
        } catch (NumberFormatException e) {
            return List.of(id);
        }
        return out;
    }
}
