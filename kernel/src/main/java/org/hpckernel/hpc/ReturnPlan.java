package org.hpckernel.hpc;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.options.JavaTypes;

/**
 * What a job returns to the notebook, kept in its manifest so that {@code %hpc attach} after a
 * kernel restart binds the outputs as the cell itself would have.
 *
 * @param script true for a #! cell (outputs are files the script wrote), false for a compiled Java cell
 * @param outputs each {@code --out} name with its type; a #! cell's type is null unless asked for
 * @param tasks the array's task indices in ascending order, or null for a plain job
 */
public record ReturnPlan(boolean script, List<Output> outputs, List<Integer> tasks) {
    public record Output(String name, String type) {}

    public ReturnPlan {
        outputs = List.copyOf(outputs);
        tasks = tasks == null ? null : List.copyOf(tasks);
    }

    public boolean array() {
        return tasks != null;
    }

    public boolean isEmpty() {
        return outputs.isEmpty();
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", script ? "script" : "java");
        JsonArray outs = new JsonArray();
        for (Output out : outputs) {
            JsonObject j = new JsonObject();
            j.addProperty("name", out.name());
            if (out.type() != null) j.addProperty("type", out.type());
            outs.add(j);
        }
        o.add("outputs", outs);
        if (tasks != null) {
            JsonArray t = new JsonArray();
            tasks.forEach(t::add);
            o.add("tasks", t);
        }
        return o;
    }

    /**
     * Adds what the job returned (name, type, bytes and SHA-256 of each value bound) to its
     * manifest, beside what it was sent: the record of a job says what went in and what came out.
     */
    public static void recordReturned(org.hpckernel.hpc.transport.Transport transport, String jobDir,
            List<OutputCollector.Binding> bound) throws java.io.IOException {
        String path = jobDir + "/" + org.hpckernel.runner.JobLayout.MANIFEST;
        java.util.Optional<byte[]> bytes = transport.readFile(path);
        if (bytes.isEmpty()) throw new java.io.IOException(path + " is missing");
        JsonObject manifest = com.google.gson.JsonParser.parseString(new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        JsonArray returned = new JsonArray();
        for (OutputCollector.Binding b : bound) {
            byte[] json = b.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            JsonObject v = new JsonObject();
            v.addProperty("name", b.name());
            v.addProperty("type", b.type());
            v.addProperty("bytes", json.length);
            v.addProperty("sha256", EncodedValue.sha256(json));
            if (org.hpckernel.values.SerialValues.isBinary(b.json())) v.addProperty("encoding", ValueFiles.SERIALIZED_ENCODING);
            returned.add(v);
        }
        manifest.add("returned", returned);
        transport.writeFile(path, org.hpckernel.util.Json.GSON.toJson(manifest).getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    }

    /** The plan recorded in the manifest of the job in {@code jobDir}. */
    public static ReturnPlan read(org.hpckernel.hpc.transport.Transport transport, String jobDir) throws java.io.IOException {
        java.util.Optional<byte[]> bytes = transport.readFile(jobDir + "/" + org.hpckernel.runner.JobLayout.MANIFEST);
        if (bytes.isEmpty()) throw new java.io.IOException(jobDir + "/" + org.hpckernel.runner.JobLayout.MANIFEST + " is missing");
        JsonElement doc = com.google.gson.JsonParser.parseString(new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8));
        if (!doc.isJsonObject()) throw new java.io.IOException("the manifest is not a JSON object");
        return fromManifest(doc.getAsJsonObject());
    }

    /** The plan a manifest recorded; an older manifest (or one without outputs) gives an empty plan. */
    public static ReturnPlan fromManifest(JsonObject manifest) {
        JsonElement r = manifest.get("returns");
        if (r == null || !r.isJsonObject()) return new ReturnPlan(false, List.of(), null);
        JsonObject o = r.getAsJsonObject();
        boolean script = o.has("kind") && o.get("kind").getAsString().equals("script");
        List<Output> outputs = new ArrayList<>();
        if (o.has("outputs")) {
            for (JsonElement e : o.getAsJsonArray("outputs")) {
                JsonObject j = e.getAsJsonObject();
                String name = j.get("name").getAsString();
                String type = j.has("type") ? j.get("type").getAsString() : null;
                // Only names and types go back into the session: anything else in a manifest is not used.
                if (!JavaTypes.isIdentifier(name) || type != null && JavaTypes.problem(type).isPresent()) {
                    throw new IllegalArgumentException("the manifest's output " + name + " (" + type + ") is not a name and a type");
                }
                outputs.add(new Output(name, type));
            }
        }
        List<Integer> tasks = null;
        if (o.has("tasks")) {
            tasks = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("tasks")) tasks.add(e.getAsInt());
        }
        return new ReturnPlan(script, outputs, tasks);
    }
}
