package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code qacct -j ID}: one block per job (per task for an array) of "key value" lines,
 * blocks separated by a line of {@code =}. Grid Engine 8.1.9 prints units ({@code ru_wallclock 4s},
 * {@code cpu 0.003s}, {@code maxvmem 3.574MB}); older versions print bare numbers (seconds, bytes
 * or {@code 3.574M}); both are read.
 *
 * <p>How a task ended: {@code failed 0} and {@code exit_status 0} is COMPLETED; {@code failed 0}
 * with another exit status is FAILED; {@code failed 37 : qmaster enforced h_rt, h_cpu, or h_vmem
 * limit} is TIMEOUT (OUT_OF_MEMORY when the job asked for h_vmem and not h_rt, or used its whole
 * h_vmem); {@code failed 100 : assumedly after job} with a signal exit status (137 = SIGKILL) is
 * how {@code qdel} of a running job looks: CANCELLED, unless the job had run into its h_rt (then
 * TIMEOUT). Any other failure code means Grid Engine could not run the job: FAILED.
 */
final class SgeAccounting {
    private SgeAccounting() {}

    static final String NOT_FOUND = "not found"; // error: job id 8 not found

    private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)");
    private static final Pattern FAILED = Pattern.compile("(-?[0-9]+)\\s*(?::\\s*(.*))?");
    private static final Pattern CATEGORY_RESOURCE = Pattern.compile("(?:^|[ ,])(h_rt|s_rt|h_vmem)=([^ ,]+)");

    /** One qacct block. */
    record Task(String taskId, String host, int failed, String failedText, Integer exitStatus, Duration wallclock,
            Duration cpu, Long maxvmem, Long hRtSeconds, Long hVmemBytes) {

        JobState state() {
            boolean signalled = exitStatus != null && exitStatus > 128 && exitStatus < 128 + 65;
            boolean ranOutOfTime = hRtSeconds != null && wallclock != null
                    && wallclock.getSeconds() + 1 >= hRtSeconds;
            boolean usedAllMemory = hVmemBytes != null && maxvmem != null && maxvmem >= hVmemBytes * 95 / 100;
            if (failed == 0) {
                return exitStatus != null && exitStatus == 0 ? JobState.COMPLETED : JobState.FAILED;
            }
            if (failed == 37 || failedText.contains("enforced h_rt") || failedText.contains("h_vmem")) {
                if (usedAllMemory || (hVmemBytes != null && hRtSeconds == null)) {
                    return JobState.OUT_OF_MEMORY;
                }
                return JobState.TIMEOUT;
            }
            if (failed == 100 && signalled) {
                return ranOutOfTime ? JobState.TIMEOUT : JobState.CANCELLED;
            }
            return JobState.FAILED;
        }

        Integer signal() {
            return exitStatus != null && exitStatus > 128 && exitStatus < 128 + 65 ? exitStatus - 128 : null;
        }
    }

    static Optional<JobAccounting> parse(String stdout, String jobId) {
        List<Task> tasks = tasks(stdout, jobId);
        if (tasks.isEmpty()) {
            return Optional.empty();
        }
        List<JobState> states = new ArrayList<>();
        for (Task t : tasks) {
            states.add(t.state());
        }
        JobState state = JobState.ofArray(states);
        // The exit status of the task that made the state (the first with a non-zero status).
        Task chosen = null;
        for (Task t : tasks) {
            if (t.state() == state && (chosen == null
                    || (t.exitStatus() != null && t.exitStatus() != 0 && (chosen.exitStatus() == null
                            || chosen.exitStatus() == 0)))) {
                chosen = t;
            }
        }
        Duration elapsed = null;
        Duration cpu = null;
        Long mem = null;
        Set<String> hosts = new LinkedHashSet<>();
        for (Task t : tasks) {
            if (t.wallclock() != null && (elapsed == null || t.wallclock().compareTo(elapsed) > 0)) {
                elapsed = t.wallclock();
            }
            if (t.cpu() != null) {
                cpu = cpu == null ? t.cpu() : cpu.plus(t.cpu());
            }
            if (t.maxvmem() != null && (mem == null || t.maxvmem() > mem)) {
                mem = t.maxvmem();
            }
            if (t.host() != null && !t.host().isEmpty()) {
                hosts.add(t.host());
            }
        }
        return Optional.of(new JobAccounting(state, chosen == null ? null : chosen.exitStatus(),
                chosen == null ? null : chosen.signal(), elapsed, cpu, mem,
                hosts.isEmpty() ? null : String.join(",", hosts)));
    }

    /** The blocks of {@code jobId} (all of them when none says which job it is). */
    static List<Task> tasks(String stdout, String jobId) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = null;
        for (String raw : stdout.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("=====")) {
                current = new LinkedHashMap<>();
                blocks.add(current);
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (current == null) {
                current = new LinkedHashMap<>();
                blocks.add(current);
            }
            int space = indexOfWhitespace(line);
            if (space < 0) {
                current.put(line, "");
            } else {
                current.put(line.substring(0, space), line.substring(space).strip());
            }
        }
        List<Task> tasks = new ArrayList<>();
        for (Map<String, String> b : blocks) {
            String number = b.get("jobnumber");
            if (number == null || (jobId != null && !number.equals(jobId))) {
                continue;
            }
            tasks.add(task(b));
        }
        return tasks;
    }

    private static Task task(Map<String, String> b) {
        int failed = 0;
        String failedText = "";
        Matcher f = FAILED.matcher(b.getOrDefault("failed", "0"));
        if (f.matches()) {
            failed = Integer.parseInt(f.group(1));
            failedText = f.group(2) == null ? "" : f.group(2).strip();
        }
        Long hRt = null;
        Long hVmem = null;
        String category = b.get("category");
        if (category != null) {
            Matcher m = CATEGORY_RESOURCE.matcher(category);
            while (m.find()) {
                if (m.group(1).equals("h_rt")) {
                    hRt = seconds(m.group(2));
                } else if (m.group(1).equals("h_vmem")) {
                    hVmem = bytes(m.group(2));
                }
            }
        }
        Integer slots = leadingInt(b.get("slots"));
        if (hVmem != null && slots != null && slots > 1) {
            hVmem *= slots; // h_vmem is per slot; maxvmem is the whole job's
        }
        String taskId = b.get("taskid");
        return new Task(taskId == null || taskId.equals("undefined") ? null : taskId, b.get("hostname"), failed,
                failedText, leadingInt(b.get("exit_status")), duration(b.get("ru_wallclock")), duration(b.get("cpu")),
                bytes(b.get("maxvmem")), hRt, hVmem);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code 137                  (Killed)} -> 137. */
    static Integer leadingInt(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = Pattern.compile("(-?[0-9]+).*").matcher(value.strip());
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    /** {@code 4s}, {@code 0.003s}, {@code 4}, {@code 12.5} -> seconds; anything else null. */
    static Duration duration(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = NUMBER_UNIT.matcher(value.strip());
        if (!m.matches() || !(m.group(2).isEmpty() || m.group(2).equals("s"))) {
            return null;
        }
        double seconds = Double.parseDouble(m.group(1));
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** An h_rt value from a category: seconds ({@code 3}) or {@code [[H:]M:]S}. */
    static Long seconds(String value) {
        String[] parts = value.split(":");
        if (parts.length > 3) {
            return null;
        }
        long total = 0;
        try {
            for (String p : parts) {
                total = total * 60 + (p.isEmpty() ? 0 : Long.parseLong(p));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return total;
    }

    /**
     * Memory as qacct prints it ({@code 3.574MB}, {@code 0.000B}, {@code 1.2GB}, old {@code 3.574M})
     * or as a request is written ({@code 1024M}, {@code 1G}, {@code 512k}): binary units. A bare
     * number is bytes.
     */
    static Long bytes(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = NUMBER_UNIT.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        if (unit.endsWith("B")) {
            unit = unit.substring(0, unit.length() - 1);
        }
        int power;
        switch (unit) {
            case "" -> power = 0;
            case "K" -> power = 1;
            case "M" -> power = 2;
            case "G" -> power = 3;
            case "T" -> power = 4;
            case "P" -> power = 5;
            default -> {
                return null;
            }
        }
        return Math.round(Double.parseDouble(m.group(1)) * Math.pow(1024, power));
    }
}
