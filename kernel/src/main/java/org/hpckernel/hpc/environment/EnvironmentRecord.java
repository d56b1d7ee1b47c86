package org.hpckernel.hpc.environment;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A job's environment.json as the node wrote it ({@link EnvironmentScript#record}): shown by
 * {@code %hpc status ID}, and compared field by field with another job's by
 * {@code %hpc status ID OTHER}.
 */
public record EnvironmentRecord(JsonObject json) {
    /** The record in {@code bytes}, or empty when they are not a JSON object (a job killed while writing cannot leave one: it is renamed into place). */
    public static Optional<EnvironmentRecord> parse(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? Optional.of(new EnvironmentRecord(e.getAsJsonObject())) : Optional.empty();
        } catch (JsonParseException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Readable lines: where and when, modules, container, Guix, Java. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("environment recorded on " + text("hostname") + " at " + text("recorded") + " (run " + text("run") + "):");
        List<String> modules = new ArrayList<>();
        if (json.has("modules") && json.get("modules").isJsonArray()) json.getAsJsonArray("modules").forEach(m -> modules.add(m.getAsString()));
        lines.add("  modules loaded: " + (modules.isEmpty() ? "none" : String.join(", ", modules)));
        if (json.has("container")) {
            JsonObject c = json.getAsJsonObject("container");
            lines.add("  container: " + text(c, "image") + " run by " + text(c, "runtime") + " (" + text(c, "runtimeVersion") + ")");
            String digest = text(c, "digest");
            lines.add("    digest: " + (digest.isEmpty() ? "none (the image is not a file or directory on the node)"
                    : digest + " (SHA-256 of the " + text(c, "digestOf") + ")"));
        }
        if (json.has("guix")) {
            JsonObject g = json.getAsJsonObject("guix");
            lines.add("  guix: manifest " + text(g, "manifest") + (text(g, "channels").isEmpty() ? "" : ", channels " + text(g, "channels")));
            for (String l : text(g, "describe").split("\n")) lines.add("    " + l);
        }
        if (json.has("java")) {
            JsonObject j = json.getAsJsonObject("java");
            lines.add("  java (" + text(j, "command") + "):");
            for (String l : text(j, "version").split("\n")) lines.add("    " + l);
            if (j.has("vendor") || j.has("home")) lines.add("    vendor " + text(j, "vendor") + ", home " + text(j, "home"));
        }
        return lines;
    }

    /** The fields whose values differ ("container.digest: A | B"), time, host and run left out when asked. */
    public List<String> differences(EnvironmentRecord other, boolean withPlace) {
        Map<String, String> a = flat(json);
        Map<String, String> b = flat(other.json);
        List<String> diffs = new ArrayList<>();
        TreeMap<String, String> keys = new TreeMap<>(a);
        b.forEach(keys::putIfAbsent);
        for (String k : keys.keySet()) {
            if (!withPlace && (k.equals("recorded") || k.equals("hostname") || k.equals("run"))) continue;
            String x = a.getOrDefault(k, "(none)");
            String y = b.getOrDefault(k, "(none)");
            if (!x.equals(y)) diffs.add(k + ": " + oneLine(x) + " | " + oneLine(y));
        }
        return diffs;
    }

    private static Map<String, String> flat(JsonObject o) {
        Map<String, String> out = new TreeMap<>();
        flatten("", o, out);
        return out;
    }

    private static void flatten(String prefix, JsonElement e, Map<String, String> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) flatten(prefix + m.getKey() + ".", m.getValue(), out);
        } else if (e.isJsonArray()) {
            List<String> items = new ArrayList<>();
            e.getAsJsonArray().forEach(i -> items.add(i.isJsonPrimitive() ? i.getAsString() : i.toString()));
            out.put(prefix.substring(0, prefix.length() - 1), String.join(", ", items));
        } else if (!e.isJsonNull()) {
            out.put(prefix.substring(0, prefix.length() - 1), e.getAsString());
        }
    }

    private static String oneLine(String s) {
        String first = s.strip().lines().findFirst().orElse("");
        return s.strip().contains("\n") ? first + " …" : first;
    }

    private String text(String key) {
        return text(json, key);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }
}
