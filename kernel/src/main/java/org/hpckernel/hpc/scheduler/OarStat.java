package org.hpckernel.hpc.scheduler;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code oarstat -J} (with or without {@code -f}): one {@link Row} per job or subjob, by id. */
final class OarStat {
    private OarStat() {}

    /** One row of {@code oarstat -f -J}. */
    record Row(String id, String arrayId, int arrayIndex, String name, String owner, OarStates.Seen seen,
            JobState state, String node, long startTime, long stopTime) {
        JobStatus status() {
            return new JobStatus(state, OarStates.reason(seen, state), node, OarStates.exitCode(seen.exitStatus()));
        }
    }

    /** The rows of an {@code oarstat -J} answer (with or without {@code -f}). */
    static List<Row> rows(String stdout) throws SchedulerException {
        String json = stdout.strip();
        if (json.isEmpty()) {
            return List.of(); // no job matched
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SchedulerException("oarstat printed something that is not JSON: " + SchedulerText.abbreviate(json), false);
        }
        if (!root.isJsonObject()) {
            throw new SchedulerException("oarstat printed unexpected JSON: " + SchedulerText.abbreviate(json), false);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonObject()) {
                continue;
            }
            JsonObject j = e.getValue().getAsJsonObject();
            String id = text(j, "Job_Id", e.getKey());
            if (!OarDialect.ID.matcher(id).matches()) {
                continue;
            }
            List<String> events = new ArrayList<>();
            JsonElement ev = j.get("events");
            if (ev != null && ev.isJsonArray()) {
                for (JsonElement x : ev.getAsJsonArray()) {
                    if (x.isJsonObject() && x.getAsJsonObject().has("type")) {
                        events.add(x.getAsJsonObject().get("type").getAsString());
                    }
                }
            }
            Integer exit = integer(j, "exit_code");
            OarStates.Seen seen = new OarStates.Seen(text(j, "state", null), events, exit);
            Set<String> nodes = new LinkedHashSet<>();
            JsonElement hosts = j.get("assigned_network_address");
            if (hosts != null && hosts.isJsonArray()) {
                for (JsonElement h : (JsonArray) hosts) {
                    if (h.isJsonPrimitive()) {
                        nodes.add(h.getAsString());
                    }
                }
            }
            Integer index = integer(j, "array_index");
            Integer start = integer(j, "startTime");
            Integer stop = integer(j, "stopTime");
            rows.add(new Row(id, text(j, "array_id", id), index == null ? 1 : index, text(j, "name", null),
                    text(j, "owner", text(j, "job_user", null)), seen, OarStates.map(seen),
                    nodes.isEmpty() ? null : String.join(",", nodes), start == null ? 0 : start, stop == null ? 0 : stop));
        }
        rows.sort((a, b) -> Long.compare(Long.parseLong(a.id()), Long.parseLong(b.id())));
        return rows;
    }

    private static String text(JsonObject j, String key, String dflt) {
        JsonElement v = j.get(key);
        return v == null || v.isJsonNull() || !v.isJsonPrimitive() ? dflt : v.getAsString();
    }

    private static Integer integer(JsonObject j, String key) {
        JsonElement v = j.get(key);
        if (v == null || v.isJsonNull() || !v.isJsonPrimitive()) {
            return null;
        }
        try {
            return (int) Long.parseLong(v.getAsString().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * State (the worst subjob's for an array), exit code and signal from OAR's raw exit status,
     * elapsed time from start to stop (the longest subjob), nodes. OAR keeps no CPU time or memory.
     */
    static Optional<JobAccounting> accounting(List<Row> rows, String jobId) {
        List<Row> group = new ArrayList<>();
        for (Row r : rows) {
            if (r.arrayId().equals(jobId)) {
                group.add(r);
            }
        }
        if (group.isEmpty()) {
            for (Row r : rows) {
                if (r.id().equals(jobId)) {
                    group.add(r);
                }
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
            if (r.state() == state) {
                Integer raw = r.seen().exitStatus();
                if (chosen == null || (raw != null && raw != 0 && !nonZero(chosen))) {
                    chosen = r;
                }
            }
        }
        Duration elapsed = null;
        Set<String> nodes = new LinkedHashSet<>();
        for (Row r : group) {
            if (r.startTime() > 0 && r.stopTime() >= r.startTime()) {
                Duration d = Duration.ofSeconds(r.stopTime() - r.startTime());
                if (elapsed == null || d.compareTo(elapsed) > 0) {
                    elapsed = d;
                }
            }
            if (r.node() != null) {
                nodes.add(r.node());
            }
        }
        Integer raw = chosen == null ? null : chosen.seen().exitStatus();
        return Optional.of(new JobAccounting(state, OarStates.exitCode(raw), OarStates.signal(raw), elapsed, null, null,
                nodes.isEmpty() ? null : String.join(",", nodes)));
    }

    private static boolean nonZero(Row r) {
        return r.seen().exitStatus() != null && r.seen().exitStatus() != 0;
    }
}
