package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code sacct -n -P -j ID --format=JobID,State,ExitCode,Elapsed,TotalCPU,MaxRSS,NodeList}.
 * One line per allocation (the job, or each array task) plus one per step ({@code .batch},
 * {@code .extern}, {@code .0}). State, exit code, elapsed time and node come from the allocation
 * line; MaxRSS only exists on step lines (the allocation line leaves it empty), so it is the
 * largest over the allocation's steps. For an array: the state of the whole array
 * ({@link JobState#ofArray}), the exit code of its worst task, the longest elapsed time,
 * the CPU time summed, the largest MaxRSS, and every node.
 */
final class SlurmAccounting {
    private SlurmAccounting() {}

    static final List<String> FIELDS =
            List.of("JobID", "State", "ExitCode", "Elapsed", "TotalCPU", "MaxRSS", "NodeList");

    private record Line(String id, String state, String exitCode, String elapsed, String totalCpu, String maxRss,
            String nodes) {}

    /** One allocation with the largest MaxRSS of its steps and the exit code of its batch step. */
    private static final class Alloc {
        final Line line;
        Long maxRss;
        String batchExit;

        Alloc(Line line) {
            this.line = line;
        }
    }

    /**
     * @param expectedTasks how many tasks the array has, when known: slurmdbd records each task
     *     as it goes, so right after the end some may be missing; then the state is UNKNOWN
     *     (not final) rather than the state of the tasks seen so far
     */
    static Optional<JobAccounting> parse(String stdout, String jobId, Integer expectedTasks) {
        List<Line> lines = new ArrayList<>();
        for (String raw : stdout.split("\n")) {
            String[] f = raw.strip().split("\\|", -1);
            if (f.length >= FIELDS.size() && !f[0].isEmpty()) {
                lines.add(new Line(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
            }
        }
        // Allocations of the job asked for (by base id: 8 covers 8_1..8_4); when the id was a
        // task's own id (sacct -j 9 prints 8_1), everything printed belongs to it.
        Map<String, Alloc> allocs = new LinkedHashMap<>();
        String base = SlurmIds.base(jobId);
        for (Line l : lines) {
            if (SlurmIds.stepOwner(l.id()) == null && SlurmIds.base(l.id()).equals(base)) {
                allocs.put(l.id(), new Alloc(l));
            }
        }
        if (allocs.isEmpty()) {
            for (Line l : lines) {
                if (SlurmIds.stepOwner(l.id()) == null) {
                    allocs.put(l.id(), new Alloc(l));
                }
            }
        }
        if (allocs.isEmpty()) {
            return Optional.empty();
        }
        for (Line l : lines) {
            String owner = SlurmIds.stepOwner(l.id());
            Alloc a = owner == null ? null : allocs.get(owner);
            if (a == null) {
                continue;
            }
            Long rss = SlurmTime.parseBytes(l.maxRss());
            if (rss != null && (a.maxRss == null || rss > a.maxRss)) {
                a.maxRss = rss;
            }
            if (l.id().endsWith(".batch")) {
                a.batchExit = l.exitCode();
            }
        }

        List<JobState> states = new ArrayList<>();
        for (Alloc a : allocs.values()) {
            states.add(SlurmStates.map(a.line.state()));
        }
        JobState state = JobState.ofArray(states);
        if (expectedTasks != null && state.isFinal()) {
            int tasks = 0;
            for (String id : allocs.keySet()) {
                tasks += SlurmIds.expand(id).size();
            }
            if (tasks < expectedTasks) {
                state = JobState.UNKNOWN;
            }
        }

        // The exit code of the task that made the state: the first with that state and a
        // non-zero exit code, else the first with that state.
        Alloc chosen = null;
        for (Alloc a : allocs.values()) {
            if (SlurmStates.map(a.line.state()) == state) {
                int[] ec = exitCode(a);
                if (chosen == null || (ec != null && (ec[0] != 0 || ec[1] != 0) && isZero(exitCode(chosen)))) {
                    chosen = a;
                }
            }
        }
        int[] ec = chosen == null ? null : exitCode(chosen);

        Duration elapsed = null;
        Duration cpu = null;
        Long rss = null;
        Set<String> nodes = new LinkedHashSet<>();
        for (Alloc a : allocs.values()) {
            Duration e = SlurmTime.parseDuration(a.line.elapsed());
            if (e != null && (elapsed == null || e.compareTo(elapsed) > 0)) {
                elapsed = e;
            }
            Duration c = SlurmTime.parseDuration(a.line.totalCpu());
            if (c != null) {
                cpu = cpu == null ? c : cpu.plus(c);
            }
            if (a.maxRss != null && (rss == null || a.maxRss > rss)) {
                rss = a.maxRss;
            }
            String n = a.line.nodes().strip();
            if (!n.isEmpty() && !n.equals("None assigned") && !n.equals("(null)")) {
                nodes.add(n);
            }
        }
        return Optional.of(new JobAccounting(state, ec == null ? null : ec[0], ec == null ? null : ec[1], elapsed,
                cpu, rss, nodes.isEmpty() ? null : String.join(",", nodes)));
    }

    /**
     * {@code exit:signal} of an allocation. A job cancelled while running says {@code 0:0} on its
     * allocation line and {@code 0:15} on its batch step: the step's code is used then.
     */
    private static int[] exitCode(Alloc a) {
        int[] own = parseExitCode(a.line.exitCode());
        if (isZero(own) && SlurmStates.map(a.line.state()) != JobState.COMPLETED) {
            int[] batch = parseExitCode(a.batchExit);
            if (batch != null && !isZero(batch)) {
                return batch;
            }
        }
        return own;
    }

    private static boolean isZero(int[] ec) {
        return ec == null || (ec[0] == 0 && ec[1] == 0);
    }

    /** {@code 2:0} -> {2, 0}; {@code 0:15} -> {0, 15}; unreadable -> null. */
    static int[] parseExitCode(String text) {
        if (text == null) {
            return null;
        }
        String[] p = text.strip().split(":");
        try {
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
            }
            if (p.length == 1 && !p[0].isEmpty()) {
                return new int[] {Integer.parseInt(p[0]), 0};
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
