package org.hpckernel.hpc.scheduler;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
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
 * The job records of {@code qstat -f}, in both shapes:
 *
 * <ul>
 *   <li>PBS Pro / OpenPBS {@code -F json}: {@code {"timestamp":..., "pbs_version":..., "pbs_server":...,
 *       "Jobs":{"12.srv":{"Job_Name":..., "job_state":"F", "substate":92, "Exit_status":0,
 *       "resources_used":{"walltime":"00:00:26",...}, "Resource_List":{...}, ...}}}} (no "Jobs" key when
 *       no job matched);
 *   <li>Torque {@code -f -1} text: {@code Job Id: 12.srv} then one {@code "    name = value"} line per
 *       attribute ({@code resources_used.walltime = 00:00:26}), a blank line after each job;
 *       {@code -1} keeps each attribute on one line (without it long values wrap onto tab-indented
 *       continuation lines, which are joined back here too).
 * </ul>
 */
final class PbsQstat {
    private PbsQstat() {}

    /** One job, array or subjob, as qstat printed it. */
    record Job(String id, String name, String state, Integer substate, Integer exitStatus, String execHost,
            String comment, Duration walltimeUsed, Duration walltimeLimit, Duration cpuTime, Long memBytes,
            boolean array) {

        /** {@code 12[3].srv} -> {@code 12[].srv}; null for anything that is not a subjob. */
        String parentId() {
            return PbsQstat.parentOf(id);
        }

        /** Hosts of {@code exec_host} ({@code n1/0*2+n2/1} -> n1,n2), or null. */
        String nodes() {
            if (execHost == null || execHost.isBlank()) {
                return null;
            }
            List<String> hosts = new ArrayList<>();
            for (String part : execHost.split("\\+")) {
                int slash = part.indexOf('/');
                String host = (slash < 0 ? part : part.substring(0, slash)).strip();
                if (!host.isEmpty() && !hosts.contains(host)) {
                    hosts.add(host);
                }
            }
            return hosts.isEmpty() ? null : String.join(",", hosts);
        }
    }

    private static final Pattern SUBJOB = Pattern.compile("([0-9]+)\\[([0-9]+)\\](.*)");

    static String parentOf(String id) {
        Matcher m = SUBJOB.matcher(id);
        return m.matches() ? m.group(1) + "[]" + m.group(3) : null;
    }

    // ------------------------------------------------------------------ PBS Pro JSON

    static List<Job> parseJson(String stdout) throws SchedulerException {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(stdout));
            reader.setStrictness(Strictness.LENIENT); // some PBS releases print unescaped control characters
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException | IllegalStateException e) {
            throw new SchedulerException("qstat -F json printed JSON that cannot be read (" + e.getMessage() + "): "
                    + head(stdout), false);
        }
        if (!root.isJsonObject()) {
            throw new SchedulerException("qstat -F json printed no JSON object: " + head(stdout), false);
        }
        List<Job> jobs = new ArrayList<>();
        JsonElement all = root.getAsJsonObject().get("Jobs");
        if (all == null || !all.isJsonObject()) {
            return jobs; // no job matched
        }
        for (Map.Entry<String, JsonElement> e : all.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonObject()) {
                continue;
            }
            JsonObject j = e.getValue().getAsJsonObject();
            JsonObject used = object(j, "resources_used");
            JsonObject limits = object(j, "Resource_List");
            jobs.add(new Job(e.getKey(), string(j, "Job_Name"), string(j, "job_state"), integer(j, "substate"),
                    integer(j, "Exit_status"), string(j, "exec_host"), string(j, "comment"),
                    duration(string(used, "walltime")), duration(string(limits, "walltime")),
                    duration(string(used, "cput")), bytes(string(used, "mem")),
                    "True".equalsIgnoreCase(string(j, "array"))));
        }
        return jobs;
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static Integer integer(JsonObject o, String key) {
        return toInt(string(o, key));
    }

    // ------------------------------------------------------------------ Torque text

    static List<Job> parseText(String stdout) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = null;
        String lastKey = null;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("Job Id:")) {
                current = new LinkedHashMap<>();
                current.put("Job Id", line.substring("Job Id:".length()).strip());
                blocks.add(current);
                lastKey = null;
                continue;
            }
            if (current == null || line.isBlank()) {
                continue;
            }
            if (line.startsWith("\t") && lastKey != null) {
                current.put(lastKey, current.get(lastKey) + line.strip()); // a folded value (without -1)
                continue;
            }
            int eq = line.indexOf(" = ");
            if (eq < 0) {
                continue;
            }
            lastKey = line.substring(0, eq).strip();
            current.put(lastKey, line.substring(eq + 3).strip());
        }
        List<Job> jobs = new ArrayList<>();
        for (Map<String, String> b : blocks) {
            Map<String, String> lower = new LinkedHashMap<>();
            b.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            String id = b.get("Job Id");
            jobs.add(new Job(id, lower.get("job_name"), lower.get("job_state"), toInt(lower.get("substate")),
                    toInt(lower.get("exit_status")), lower.get("exec_host"), lower.get("comment"),
                    duration(lower.get("resources_used.walltime")), duration(lower.get("resource_list.walltime")),
                    duration(lower.get("resources_used.cput")), bytes(lower.get("resources_used.mem")),
                    id != null && id.contains("[]")));
        }
        return jobs;
    }

    // ------------------------------------------------------------------ values

    private static Integer toInt(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final Pattern HMS = Pattern.compile("(?:(?:([0-9]+):)?([0-9]+):)?([0-9]+)(?:\\.([0-9]+))?");

    /** {@code 00:00:26}, {@code 26:00:00}, {@code 1234:56:08.5}, {@code 600} -> duration; else null. */
    static Duration duration(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = HMS.matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        long seconds = Long.parseLong(m.group(3));
        if (m.group(2) != null) {
            seconds += 60 * Long.parseLong(m.group(2));
        }
        if (m.group(1) != null) {
            seconds += 3600 * Long.parseLong(m.group(1));
        }
        long nanos = 0;
        if (m.group(4) != null) {
            nanos = Long.parseLong((m.group(4) + "000000000").substring(0, 9));
        }
        return Duration.ofSeconds(seconds, nanos);
    }

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kmgtp]?)([bw]?)", Pattern.CASE_INSENSITIVE);

    /** PBS sizes: {@code 7060kb}, {@code 512mb}, {@code 1gb}, {@code 123b}, {@code 42} (bytes), words x8. */
    static Long bytes(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = SIZE.matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        int power = m.group(2).isEmpty() ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        long value = Long.parseLong(m.group(1)) << (10 * power);
        return m.group(3).equalsIgnoreCase("w") ? value * 8 : value;
    }

    private static String head(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /**
     * From the finished job's full status: exit status (shell convention: 128 + N for a job killed
     * by signal N, PBS's own negative codes as null), the signal, walltime and CPU time used, memory,
     * hosts. For an array: its subjobs together (worst state, longest walltime, summed CPU time,
     * largest memory). Empty while the job has not ended, or when qstat no longer knows it.
     */
    static Optional<JobAccounting> accounting(List<Job> jobs, String jobId, PbsScheduler.Flavor flavor) {
        List<Job> mine = new ArrayList<>();
        Job own = null;
        for (Job j : jobs) {
            if (PbsDialect.same(jobId, j.id())) {
                own = j;
            } else if (j.parentId() != null && PbsDialect.same(jobId, j.parentId())) {
                mine.add(j);
            }
        }
        if (mine.isEmpty() && own != null) {
            mine.add(own);
        }
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        List<JobState> states = new ArrayList<>();
        Job chosen = null;
        JobStatus chosenStatus = null;
        Duration elapsed = null;
        Duration cpu = null;
        Long mem = null;
        Set<String> nodes = new LinkedHashSet<>();
        for (Job j : mine) {
            JobStatus s = PbsStates.map(j, flavor);
            if (!s.state().isFinal()) {
                return Optional.empty();
            }
            states.add(s.state());
            if (j.walltimeUsed() != null && (elapsed == null || j.walltimeUsed().compareTo(elapsed) > 0)) {
                elapsed = j.walltimeUsed();
            }
            if (j.cpuTime() != null) {
                cpu = cpu == null ? j.cpuTime() : cpu.plus(j.cpuTime());
            }
            if (j.memBytes() != null && (mem == null || j.memBytes() > mem)) {
                mem = j.memBytes();
            }
            if (s.node() != null) {
                nodes.add(s.node());
            }
        }
        JobState state = JobState.ofArray(states);
        for (Job j : mine) {
            JobStatus s = PbsStates.map(j, flavor);
            if (s.state() == state && (chosen == null || (chosenStatus.exitCode() == null
                    || chosenStatus.exitCode() == 0) && s.exitCode() != null && s.exitCode() != 0)) {
                chosen = j;
                chosenStatus = s;
            }
        }
        return Optional.of(new JobAccounting(state, chosenStatus == null ? null : chosenStatus.exitCode(),
                chosen == null ? null : PbsStates.signal(chosen.exitStatus()), elapsed, cpu, mem,
                nodes.isEmpty() ? null : String.join(",", nodes)));
    }
}
