package org.hpckernel.hpc;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.hpckernel.hpc.options.ByteSizes;
import org.hpckernel.hpc.options.JavaTypes;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.SerialValues;
import org.hpckernel.values.ValueCodec;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * Reads what an ended job returned, once, through the cluster's transport: the runner's
 * {@code outputs[.I].json} of a Java cell, the {@code $HPC_OUTPUTS/NAME.json} files of a #! cell.
 * A shared file system may show the job's exit marker before the renamed output file: a missing
 * file is looked for again, with growing pauses, up to the cluster's file-system lag (bounded). The
 * outputs together are capped: above the cap nothing is read and the error names the file.
 */
public final class OutputCollector {
    /** How the collector waits between looks (a test passes one that does not sleep). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** Values are passed on as the job wrote them: a null member of a record or map stays. */
    private static final Gson VALUES = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    /** The longest pause between two looks for a missing file. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    /**
     * One value to bind: name, Java type, JSON (or the text of a value in binary form, {@link SerialValues};
     * an array's values of which any came back in binary form: their {@link SerialValues#gather} text).
     */
    public record Binding(String name, String type, String json) {}

    /**
     * @param failedTasks array tasks that returned nothing (null at their index), ascending
     * @param problems why a task that completed returned nothing (a missing or unreadable file)
     */
    public record Collected(List<Binding> bindings, List<Integer> failedTasks, List<String> problems) {}

    private final Transport transport;
    private final String jobDir;
    private final Duration lag;
    private final Pause pause;
    private long budget;
    private final Map<String, String> scriptFiles = new LinkedHashMap<>();
    /** Outputs of the array task just read that came back in binary form: their {@link SerialValues} text. */
    private final java.util.Set<String> binary = new java.util.HashSet<>();

    public OutputCollector(Transport transport, String jobDir, long maxOutputBytes, Duration lag, Pause pause) {
        this.transport = transport;
        this.jobDir = jobDir;
        this.budget = maxOutputBytes;
        this.lag = lag;
        this.pause = pause;
    }

    public static Pause sleeping() {
        return d -> Thread.sleep(d.toMillis());
    }

    /**
     * @param succeeded which array tasks completed (for a plain job: called with -1, true when the job completed)
     */
    public Collected collect(ReturnPlan plan, IntPredicate succeeded)
            throws IOException, ValueRefusal, InterruptedException {
        if (!plan.array()) {
            if (!succeeded.test(-1)) return new Collected(List.of(), List.of(), List.of());
            if (!plan.script()) return new Collected(readJavaOutputs(plan), List.of(), List.of());
            Map<String, JsonElement> values = read(plan, null);
            List<Binding> bindings = new ArrayList<>();
            for (ReturnPlan.Output o : plan.outputs()) {
                // A #! cell's file is bound as written, so the manifest's size and SHA-256 describe that file.
                String type = o.type() != null ? o.type() : inferred(values.get(o.name()));
                bindings.add(new Binding(o.name(), type, scriptFiles.get(o.name())));
            }
            return new Collected(bindings, List.of(), List.of());
        }
        Map<String, JsonArray> lists = new LinkedHashMap<>();
        // Each task's value text (JSON, or binary form), kept for an output any task returned in binary form.
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (ReturnPlan.Output o : plan.outputs()) {
            lists.put(o.name(), new JsonArray());
            texts.put(o.name(), new ArrayList<>());
        }
        java.util.Set<String> anyBinary = new java.util.HashSet<>();
        List<Integer> failed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int task : plan.tasks()) {
            Map<String, JsonElement> values = null;
            binary.clear();
            if (succeeded.test(task)) {
                try {
                    values = read(plan, task);
                } catch (ValueRefusal e) {
                    if (e.name().equals("OutputTooLarge")) throw e;
                    problems.add("task " + task + ": " + e.getMessage());
                }
            }
            if (values == null) failed.add(task);
            for (ReturnPlan.Output o : plan.outputs()) {
                JsonElement v = values == null ? JsonNull.INSTANCE : values.get(o.name());
                lists.get(o.name()).add(v);
                boolean inBinary = values != null && binary.contains(o.name());
                if (inBinary) anyBinary.add(o.name());
                texts.get(o.name()).add(v.isJsonNull() ? null : inBinary ? v.getAsString() : VALUES.toJson(v));
            }
        }
        List<Binding> bindings = new ArrayList<>();
        if (failed.size() < plan.tasks().size()) {
            for (ReturnPlan.Output o : plan.outputs()) {
                JsonArray list = lists.get(o.name());
                String element = o.type() != null ? o.type() : inferredElement(list);
                String text = anyBinary.contains(o.name()) ? SerialValues.gather(texts.get(o.name())) : VALUES.toJson(list);
                bindings.add(new Binding(o.name(), "List<" + boxed(element) + ">", text));
            }
        }
        return new Collected(bindings, failed, problems);
    }

    /**
     * A plain Java job's {@code outputs.json}: each value bound from its text as the runner wrote it,
     * cut out of the file without building a tree of it (nor writing it out again), so that a large
     * value is read once, when the session decodes it as its declared type.
     */
    private List<Binding> readJavaOutputs(ReturnPlan plan) throws IOException, ValueRefusal, InterruptedException {
        String path = jobDir + "/" + ValueFiles.outputs(null);
        Map<String, String> texts;
        try {
            texts = SerialValues.unpack(ValueCodec.forDocument(budget).members(new String(readWithLag(path), StandardCharsets.UTF_8)));
        } catch (MalformedValueException e) {
            throw new ValueRefusal("OutputMalformed", path + " is not a JSON object of outputs by name: " + e.getMessage());
        }
        List<Binding> bindings = new ArrayList<>();
        for (ReturnPlan.Output out : plan.outputs()) {
            String text = texts.get(out.name());
            if (text == null) {
                throw new ValueRefusal("OutputMissing", "the job completed but " + path + " has no value for --out " + out.name());
            }
            String type = out.type() != null ? out.type() : inferred(SerialValues.isSerialized(text) ? null : parse(text, path));
            bindings.add(new Binding(out.name(), type, text));
        }
        return bindings;
    }

    private static JsonElement parse(String text, String path) throws ValueRefusal {
        return parse(text.getBytes(StandardCharsets.UTF_8), path);
    }

    /** One task's (or the plain job's) values by name. */
    private Map<String, JsonElement> read(ReturnPlan plan, Integer task) throws IOException, ValueRefusal, InterruptedException {
        Map<String, JsonElement> values = new LinkedHashMap<>();
        if (!plan.script()) {
            String path = jobDir + "/" + ValueFiles.outputs(task);
            JsonElement doc = parse(readWithLag(path), path);
            if (!doc.isJsonObject()) throw new ValueRefusal("OutputMalformed", path + " is not a JSON object of outputs by name");
            JsonObject o = doc.getAsJsonObject();
            JsonObject serialized = serializedMember(o, path);
            for (ReturnPlan.Output out : plan.outputs()) {
                if (serialized.has(out.name())) {
                    if (o.has(out.name())) {
                        throw new ValueRefusal("OutputMalformed", path + " holds --out " + out.name() + " twice (as JSON and in "
                                + SerialValues.MEMBER + ")");
                    }
                    // Kept as the binary form's text: the session reads it, through its allow-list filter, when binding.
                    values.put(out.name(), new JsonPrimitive(SerialValues.PREFIX + serialized.get(out.name()).getAsString()));
                    binary.add(out.name());
                    continue;
                }
                if (!o.has(out.name())) {
                    throw new ValueRefusal("OutputMissing", "the job completed but " + path + " has no value for --out " + out.name());
                }
                values.put(out.name(), o.get(out.name()));
            }
            return values;
        }
        for (ReturnPlan.Output out : plan.outputs()) {
            String path = jobDir + "/" + ValueFiles.scriptOutputsDir(task) + "/" + out.name() + ".json";
            byte[] bytes = readWithLag(path);
            values.put(out.name(), parse(bytes, path));
            if (task == null) scriptFiles.put(out.name(), new String(bytes, StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The outputs file's values in binary form (base64 by name), or an empty object. */
    private static JsonObject serializedMember(JsonObject outputs, String path) throws ValueRefusal {
        JsonElement member = outputs.get(SerialValues.MEMBER);
        if (member == null) return new JsonObject();
        boolean strings = member.isJsonObject() && member.getAsJsonObject().entrySet().stream()
                .allMatch(e -> e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isString());
        if (!strings) {
            throw new ValueRefusal("OutputMalformed", path + ": " + SerialValues.MEMBER + " is not an object of base64 strings by name");
        }
        return member.getAsJsonObject();
    }

    private byte[] readWithLag(String path) throws IOException, ValueRefusal, InterruptedException {
        Duration waited = Duration.ZERO;
        Duration next = Duration.ofMillis(50);
        while (true) {
            long size = transport.size(path);
            if (size >= 0) {
                if (size > budget) {
                    throw new ValueRefusal("OutputTooLarge", "the job's output " + path + " is " + ByteSizes.describe(size)
                            + ", above what is left of the outputs' cap (" + ByteSizes.describe(budget) + "): nothing was bound."
                            + " The file is kept there (on " + transport.describe() + "); read it from there, or raise the"
                            + " cluster's \"maxOutputBytes\" and run %hpc attach on the job again");
                }
                Optional<byte[]> bytes = transport.readFile(path);
                if (bytes.isPresent()) {
                    if (bytes.get().length > budget) {
                        throw new ValueRefusal("OutputTooLarge", "the job's output " + path + " grew to "
                                + ByteSizes.describe(bytes.get().length) + " while it was read, above the outputs' cap: nothing was bound");
                    }
                    budget -= bytes.get().length;
                    return bytes.get();
                }
            }
            if (waited.compareTo(lag) >= 0) {
                throw new ValueRefusal("OutputMissing", "the job completed but its output " + path + " is not there (looked for "
                        + lag.toMillis() + " ms, the cluster's file-system lag); a #! cell must write each --out NAME to"
                        + " $HPC_OUTPUTS/NAME.json");
            }
            Duration d = next.compareTo(lag.minus(waited)) < 0 ? next : lag.minus(waited);
            pause.pause(d);
            waited = waited.plus(d);
            next = next.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : next.multipliedBy(2);
        }
    }

    private static JsonElement parse(byte[] bytes, String path) throws ValueRefusal {
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (e == null) throw new JsonParseException("empty");
            return e;
        } catch (JsonParseException | IllegalStateException | StackOverflowError e) {
            throw new ValueRefusal("OutputMalformed", path + " is not valid JSON (" + bytes.length + " bytes): "
                    + e.getMessage());
        }
    }

    /** A #! cell's value without a TYPE: numbers as double, strings, booleans, lists and maps of anything. */
    static String inferred(JsonElement v) {
        if (v == null || v.isJsonNull()) return "Object";
        if (v.isJsonArray()) return "List<Object>";
        if (v.isJsonObject()) return "Map<String, Object>";
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isBoolean()) return "boolean";
        if (p.isNumber()) return "double";
        return "String";
    }

    /** An untyped array output's element type: that of its first non-null element, Object when they differ. */
    static String inferredElement(JsonArray list) {
        String type = null;
        for (JsonElement e : list) {
            if (e == null || e.isJsonNull()) continue;
            String t = inferred(e);
            if (type == null) type = t;
            else if (!type.equals(t)) return "Object";
        }
        return type == null ? "Object" : type;
    }

    /** {@code int} → {@code Integer}: a list holds objects. */
    public static String boxed(String type) {
        if (!JavaTypes.isPrimitive(type)) return type;
        return switch (type) {
            case "int" -> "Integer";
            case "char" -> "Character";
            default -> Character.toUpperCase(type.charAt(0)) + type.substring(1);
        };
    }
}
