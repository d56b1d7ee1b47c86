package org.hpckernel.kernel.history;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * One JSON object per line. Two kinds: a cell {@code {"session":3,"line":7,"input":"...","output":"..."}}
 * and a session start {@code {"session":4,"started":"2025-...","id":"9f3c..."}}. The start line
 * exists so that a kernel that has not run a cell yet still owns its session number when the next
 * kernel allocates one; its random id makes the first line of every file unique (see {@link HistoryFile}).
 */
final class HistoryCodec {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a line decoded to: exactly one of {@code entry} and {@code sessionStart} is set. */
    record Decoded(HistoryEntry entry, Integer sessionStart) {
        int session() {
            return entry != null ? entry.session() : sessionStart;
        }
    }

    private HistoryCodec() {}

    static String encode(HistoryEntry entry) {
        JsonObject o = new JsonObject();
        o.addProperty("session", entry.session());
        o.addProperty("line", entry.line());
        o.addProperty("input", entry.input());
        if (entry.output() != null) o.addProperty("output", entry.output());
        return GSON.toJson(o);
    }

    static String encodeSessionStart(int session, Instant when) {
        JsonObject o = new JsonObject();
        o.addProperty("session", session);
        o.addProperty("started", when.toString());
        o.addProperty("id", Long.toHexString(RANDOM.nextLong()));
        return GSON.toJson(o);
    }

    /** @return null for anything that is not one of our lines: a crash can leave half a line behind */
    static Decoded decode(String line) {
        if (line.isBlank()) return null;
        try {
            JsonElement parsed = JsonParser.parseString(line);
            if (!parsed.isJsonObject()) return null;
            JsonObject o = parsed.getAsJsonObject();
            Integer session = integer(o.get("session"));
            if (session == null || session < 1) return null;
            JsonElement input = o.get("input");
            if (input == null) return new Decoded(null, session);
            Integer number = integer(o.get("line"));
            if (number == null || !isString(input)) return null;
            JsonElement output = o.get("output");
            String outputText = isString(output) ? output.getAsString() : null;
            return new Decoded(new HistoryEntry(session, number, input.getAsString(), outputText), null);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static Integer integer(JsonElement e) {
        if (e == null || !e.isJsonPrimitive()) return null;
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (!p.isNumber()) return null;
        double value = p.getAsDouble();
        if (value != Math.rint(value) || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) return null;
        return (int) value;
    }
}
