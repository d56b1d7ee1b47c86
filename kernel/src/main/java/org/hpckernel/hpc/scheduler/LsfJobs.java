package org.hpckernel.hpc.scheduler;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/** Reads {@code bjobs -o "..." -json}: one {@link Row} per job or array element. */
final class LsfJobs {
    private LsfJobs() {}

    private static final Pattern WITH_INDEX = Pattern.compile("([0-9]+)\\[([0-9]+)\\]");

    /** One bjobs record: a job, or one element of an array (index > 0). */
    record Row(String id, int index, String stat, JobState state, Integer exitCode, String exitReason, String node,
            String pendReason, String runTime, String cpuUsed, String maxMem, String name) {
        JobStatus status() {
            return new JobStatus(state, LsfStates.reason(stat, exitReason, pendReason, exitCode, state), node,
                    state.isFinal() ? exitCode : null);
        }
    }

    /**
     * The records of a {@code bjobs -o ... -json} answer. bjobs exits non-zero (255) when one of
     * the ids is unknown (always with LSB_BJOBS_CONSISTENT_EXIT_CODE=Y) and still prints the others;
     * an unknown id is said on stderr ({@code Job <123> is not found}) or as a record with an
     * ERROR field. Only a failure without any JSON is an error.
     */
    static boolean answered(CommandResult result) {
        String json = result.stdout().strip();
        return json.startsWith("{") || result.exitCode() == 0 || onlyNotFound(result.stderr()) && json.isEmpty();
    }

    /** The records of an answer that {@link #answered}; none when it printed no JSON. */
    static List<Row> rows(String stdout) throws SchedulerException {
        String json = stdout.strip();
        if (!json.startsWith("{")) {
            return List.of();
        }
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new SchedulerException("bjobs printed unexpected JSON: " + SchedulerText.abbreviate(json), false);
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new SchedulerException("bjobs printed something that is not JSON: " + SchedulerText.abbreviate(json), false);
        }
        JsonElement records = root.get("RECORDS");
        List<Row> rows = new ArrayList<>();
        if (records == null || !records.isJsonArray()) {
            return rows;
        }
        for (JsonElement r : records.getAsJsonArray()) {
            if (!r.isJsonObject()) {
                continue;
            }
            JsonObject o = r.getAsJsonObject();
            if (o.has("ERROR")) {
                continue; // "Job <123> is not found"
            }
            String id = text(o, "JOBID");
            if (id == null) {
                continue;
            }
            int index = 0;
            Matcher w = WITH_INDEX.matcher(id);
            if (w.matches()) { // LSB_BJOBS_DISPLAY_ENH=Y shows 123[4]
                id = w.group(1);
                index = Integer.parseInt(w.group(2));
            }
            if (!LsfDialect.ID.matcher(id).matches()) {
                continue;
            }
            String jobIndex = text(o, "JOBINDEX");
            if (jobIndex != null && jobIndex.matches("[0-9]+")) {
                index = Integer.parseInt(jobIndex);
            }
            String stat = text(o, "STAT");
            String reason = text(o, "EXIT_REASON");
            Integer exit = integer(text(o, "EXIT_CODE"));
            JobState state = LsfStates.map(stat, reason);
            if (exit == null && state == JobState.COMPLETED) {
                exit = 0; // DONE prints an empty EXIT_CODE
            }
            rows.add(new Row(id, index, stat, state, exit, reason, host(text(o, "EXEC_HOST")), text(o, "PEND_REASON"),
                    text(o, "RUN_TIME"), text(o, "CPU_USED"), text(o, "MAX_MEM"), text(o, "JOB_NAME")));
        }
        return rows;
    }

    private static boolean onlyNotFound(String stderr) {
        boolean any = false;
        for (String line : stderr.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.contains("is not found")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static String text(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull() || !v.isJsonPrimitive()) {
            return null;
        }
        String s = v.getAsString().strip();
        return s.isEmpty() || s.equals("-") ? null : s;
    }

    private static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 4*hostA:2*hostB} or {@code hostA:hostA} -> {@code hostA,hostB}. */
    static String host(String execHost) {
        if (execHost == null) {
            return null;
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : execHost.split("[: ]+")) {
            String name = h.contains("*") ? h.substring(h.indexOf('*') + 1) : h;
            if (!name.isBlank()) {
                hosts.add(name.strip());
            }
        }
        return hosts.isEmpty() ? null : String.join(",", hosts);
    }

    /** The worst element's state and exit code, the longest run time, summed CPU time, largest memory. */
    static Optional<JobAccounting> accounting(List<Row> rows, String jobId) {
        List<Row> group = new ArrayList<>();
        for (Row r : rows) {
            if (r.id().equals(jobId)) {
                group.add(r);
            }
        }
        if (group.isEmpty()) {
            return Optional.empty();
        }
        List<JobState> states = new ArrayList<>();
        for (Row r : group) {
            states.add(r.state());
        }
        JobState state = JobState.ofArray(states);
        Row chosen = null;
        for (Row r : group) {
            if (r.state() == state && (chosen == null
                    || r.exitCode() != null && r.exitCode() != 0 && (chosen.exitCode() == null || chosen.exitCode() == 0))) {
                chosen = r;
            }
        }
        Duration elapsed = null;
        Duration cpu = null;
        Long mem = null;
        Set<String> nodes = new LinkedHashSet<>();
        for (Row r : group) {
            Duration e = LsfUnits.duration(r.runTime());
            if (e != null && (elapsed == null || e.compareTo(elapsed) > 0)) {
                elapsed = e;
            }
            Duration c = LsfUnits.duration(r.cpuUsed());
            if (c != null) {
                cpu = cpu == null ? c : cpu.plus(c);
            }
            Long m = LsfUnits.bytes(r.maxMem());
            if (m != null && (mem == null || m > mem)) {
                mem = m;
            }
            if (r.node() != null) {
                nodes.add(r.node());
            }
        }
        return Optional.of(new JobAccounting(state, chosen == null ? null : chosen.exitCode(), null, elapsed, cpu, mem,
                nodes.isEmpty() ? null : String.join(",", nodes)));
    }
}
