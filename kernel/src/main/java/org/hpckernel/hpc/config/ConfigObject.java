package org.hpckernel.hpc.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hpckernel.hpc.options.Quoting;
import org.hpckernel.hpc.options.Suggestions;

/**
 * One JSON object of clusters.json read key by key. It knows where it sits (file, cluster, enclosing
 * key), so every error it raises names all of them, and it turns unknown keys into errors: a
 * misspelt "workdri" must not be silently ignored.
 */
final class ConfigObject {
    /** The file as shown in messages and the cluster being read (null at the top level). */
    record Context(String file, String cluster) {
        ConfigException error(int line, String message) {
            return new ConfigException(file + ", line " + line + ": "
                    + (cluster == null ? "" : "cluster " + Quoting.quote(cluster) + ": ") + message);
        }
    }

    private final JsonNode.Obj node;
    private final Context context;
    private final String prefix;

    /** {@code prefix} is the enclosing key and a dot ("monitoring.") or empty, to name nested keys fully. */
    ConfigObject(JsonNode.Obj node, Context context, String prefix) {
        this.node = node;
        this.context = context;
        this.prefix = prefix;
    }

    int line() {
        return node.line();
    }

    Collection<JsonNode.Member> members() {
        return node.members().values();
    }

    void allowOnly(List<String> known) throws ConfigException {
        for (JsonNode.Member m : members()) {
            if (known.contains(m.key())) continue;
            String where = prefix.isEmpty() ? "" : Quoting.quote(prefix.substring(0, prefix.length() - 1)) + ": ";
            String hint = Suggestions.closest(m.key(), known).map(s -> "; did you mean " + Quoting.quote(s) + "?").orElse("");
            throw context.error(m.line(), where + "unknown key " + Quoting.quote(m.key())
                    + " (known: " + String.join(", ", known) + ")" + hint);
        }
    }

    /** The value of {@code key}; null when absent or JSON null (null means "not set"). */
    JsonNode get(String key) {
        JsonNode.Member m = node.members().get(key);
        return m == null || m.value() instanceof JsonNode.Null ? null : m.value();
    }

    /** A non-blank string without control characters (values end up on command lines), or null when absent. */
    String string(String key, String expected) throws ConfigException {
        JsonNode value = get(key);
        if (value == null) return null;
        return text(key, value, expected);
    }

    String requiredString(String key, String expected) throws ConfigException {
        String value = string(key, expected);
        if (value == null) throw context.error(line(), name(key) + " is required: " + expected);
        return value;
    }

    Integer integer(String key, String expected, int min, int max) throws ConfigException {
        JsonNode value = get(key);
        if (value == null) return null;
        Long n = value instanceof JsonNode.Num num ? num.wholeValue() : null;
        if (n == null || n < min || n > max) throw mustBe(key, value, expected);
        return n.intValue();
    }

    List<String> strings(String key, String expected) throws ConfigException {
        JsonNode value = get(key);
        if (value == null) return null;
        if (!(value instanceof JsonNode.Arr arr)) throw mustBe(key, value, expected);
        List<String> items = new ArrayList<>();
        for (JsonNode item : arr.items()) items.add(text(key, item, expected));
        return List.copyOf(items);
    }

    ConfigObject object(String key, String expected) throws ConfigException {
        JsonNode value = get(key);
        if (value == null) return null;
        if (!(value instanceof JsonNode.Obj obj)) throw mustBe(key, value, expected);
        return new ConfigObject(obj, context, prefix + key + ".");
    }

    /** {@code "key" must be EXPECTED (got VALUE)}, at the value's line. */
    ConfigException mustBe(String key, JsonNode got, String expected) {
        return context.error(got.line(), name(key) + " must be " + expected + " (got " + got.shown() + ")");
    }

    /** {@code "key": MESSAGE}, for problems that are not about the type. */
    ConfigException problem(String key, int line, String message) {
        return context.error(line, name(key) + ": " + message);
    }

    ConfigException error(int line, String message) {
        return context.error(line, message);
    }

    Context context() {
        return context;
    }

    /** The key as the user would look for it, with its enclosing key: "monitoring.pollMin". */
    String name(String key) {
        return Quoting.quote(prefix + key);
    }

    private String text(String key, JsonNode value, String expected) throws ConfigException {
        if (!(value instanceof JsonNode.Str str) || str.value().isBlank()) throw mustBe(key, value, expected);
        for (char c : str.value().toCharArray()) {
            if (c != '\t' && Character.isISOControl(c)) {
                throw context.error(value.line(), name(key) + " must not contain control characters such as line breaks (got "
                        + value.shown() + ")");
            }
        }
        return str.value();
    }
}
