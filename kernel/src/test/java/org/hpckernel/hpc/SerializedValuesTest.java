package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hpckernel.hpc.transport.LocalTransport;
import org.hpckernel.translate.NotebookSnapshot.Variable;
import org.hpckernel.values.SerialValues;
import org.hpckernel.values.ValueCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's side of values in binary form: a Java cell's Serializable input outside the JSON set
 * is encoded in binary form and counted against the cap, a #! cell's is not, a value with a member
 * that is not Serializable is refused naming the variable, its type and the member's class;
 * inputs.json keeps binary values in their member; an outputs file's binary value is bound from its
 * text, an array's from the gathered text of its tasks' values.
 */
class SerializedValuesTest {
    record Flags(int x, BitSet on) implements Serializable {}

    record Locked(int x, Object guard) implements Serializable {}

    @TempDir
    Path dir;
    final LocalTransport local = new LocalTransport();
    final Map<String, Object> values = new LinkedHashMap<>();

    final NotebookValues notebook = new NotebookValues() {
        @Override
        public Set<String> names() {
            return values.keySet();
        }

        @Override
        public Optional<String> typeOf(String name) {
            return Optional.empty();
        }

        @Override
        public Object valueOf(String name) {
            return values.get(name);
        }

        @Override
        public void bind(String name, String type, String json) {
            throw new UnsupportedOperationException();
        }
    };

    @AfterEach
    void close() {
        local.close();
    }

    private static BitSet bits(int... set) {
        BitSet bits = new BitSet();
        for (int i : set) bits.set(i);
        return bits;
    }

    @Test
    void aJavaCellsSerializableInputOutsideTheJsonSetIsEncodedInBinaryFormAndCounted() throws Exception {
        values.put("n", 3);
        values.put("flags", new Flags(2, bits(4, 9)));
        List<EncodedValue> encoded = InputValues.encode(List.of(new Variable("n", "int"), new Variable("flags", "Flags")), notebook,
                ValueCodec.standard(), 1 << 20, "/w", true);
        assertEquals("3", encoded.get(0).json());
        assertFalse(encoded.get(0).serialized());
        EncodedValue flags = encoded.get(1);
        assertTrue(flags.serialized(), flags.json());
        assertEquals(new Flags(2, bits(4, 9)), SerialValues.decode(flags.json(), Flags.class,
                notebook.classes(), SerialValues.Limits.DEFAULT));

        // Counted against the cap as shipped (its text), like a JSON value.
        ValueRefusal over = assertThrows(ValueRefusal.class, () -> InputValues.encode(List.of(new Variable("flags", "Flags")),
                notebook, ValueCodec.standard(), flags.size() - 1, "/w", true));
        assertEquals("InputTooLarge", over.name());
        assertTrue(over.getMessage().contains("flags " + org.hpckernel.hpc.options.ByteSizes.describe(flags.size())),
                over.getMessage());

        String inputs = ValueFiles.inputsJson(encoded);
        JsonObject file = JsonParser.parseString(inputs).getAsJsonObject();
        assertEquals(3, file.get("n").getAsInt());
        assertEquals(flags.json(), SerialValues.PREFIX + file.getAsJsonObject(SerialValues.MEMBER).get("flags").getAsString());
        assertFalse(file.has("flags"));
        assertEquals(Map.of("n", "3", "flags", flags.json()), SerialValues.unpack(ValueCodec.standard().members(inputs)));
    }

    @Test
    void aScriptCellsInputsAreJsonOnly() {
        values.put("flags", new Flags(2, bits(4)));
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> InputValues.encode(List.of(new Variable("flags", "Flags")), notebook,
                ValueCodec.standard(), 1 << 20, "/w"));
        assertTrue(e.getMessage().contains("flags.on is a java.util.BitSet"), e.getMessage());
        assertFalse(e.getMessage().contains("binary"), e.getMessage());
    }

    @Test
    void aValueWithAMemberThatIsNotSerializableIsRefusedBeforeAnythingIsWritten() {
        values.put("locked", new Locked(1, new Object()));
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> InputValues.encode(List.of(new Variable("locked", "Locked")),
                notebook, ValueCodec.standard(), 1 << 20, "/w", true));
        assertEquals("ValueNotShippable", e.name());
        assertTrue(e.getMessage().startsWith("nothing was submitted: the cell uses notebook variable `locked` (declared Locked)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("`locked` holds a java.lang.Object, which is not Serializable"), e.getMessage());
        values.put("worker", new Thread(() -> { }));
        ValueRefusal thread = assertThrows(ValueRefusal.class, () -> InputValues.encode(List.of(new Variable("worker", "Thread")),
                notebook, ValueCodec.standard(), 1 << 20, "/w", true));
        assertTrue(thread.getMessage().contains("it is a java.lang.Thread"), thread.getMessage());
    }

    private OutputCollector collector() {
        return new OutputCollector(local, dir.toString(), 1 << 20, Duration.ofSeconds(1), d -> { });
    }

    @Test
    void aBinaryOutputIsBoundFromItsTextAndRecordedInTheManifestWithItsEncoding() throws Exception {
        String text = SerialValues.serialize("flags", new Flags(1, bits(2)), notebook.classes(), SerialValues.Limits.DEFAULT);
        Files.writeString(dir.resolve("outputs.json"), "{\"n\": 3, \"" + SerialValues.MEMBER + "\": {\"flags\": \""
                + text.substring(SerialValues.PREFIX.length()) + "\"}}");
        ReturnPlan plan = new ReturnPlan(false, List.of(new ReturnPlan.Output("n", "int"), new ReturnPlan.Output("flags", "Flags")), null);
        OutputCollector.Collected c = collector().collect(plan, t -> true);
        assertEquals(List.of(new OutputCollector.Binding("n", "int", "3"), new OutputCollector.Binding("flags", "Flags", text)),
                c.bindings());

        Files.writeString(dir.resolve("manifest.json"), "{}");
        ReturnPlan.recordReturned(local, dir.toString(), c.bindings());
        JsonObject returned = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject()
                .getAsJsonArray("returned").get(1).getAsJsonObject();
        assertEquals(ValueFiles.SERIALIZED_ENCODING, returned.get("encoding").getAsString());
        assertEquals(EncodedValue.sha256(text.getBytes(StandardCharsets.UTF_8)), returned.get("sha256").getAsString());
    }

    @Test
    void anArrayTasksBinaryOutputIsGatheredAndAMalformedMemberIsNotBound() throws Exception {
        Files.writeString(dir.resolve("outputs.0.json"), "{\"" + SerialValues.MEMBER + "\": {\"r\": \"rO0ABQ==\"}}");
        Files.writeString(dir.resolve("outputs.1.json"), "{\"r\": 1}");
        OutputCollector.Collected c = collector().collect(new ReturnPlan(false, List.of(new ReturnPlan.Output("r", "Object")),
                List.of(0, 1)), t -> true);
        assertEquals(List.of(), c.failedTasks());
        String gathered = SerialValues.LIST_PREFIX + "[\"" + SerialValues.PREFIX + "rO0ABQ==\",\"1\"]";
        assertEquals(List.of(new OutputCollector.Binding("r", "List<Object>", gathered)), c.bindings());
        Files.writeString(dir.resolve("manifest.json"), "{}");
        ReturnPlan.recordReturned(local, dir.toString(), c.bindings());
        JsonObject returned = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject()
                .getAsJsonArray("returned").get(0).getAsJsonObject();
        assertEquals(ValueFiles.SERIALIZED_ENCODING, returned.get("encoding").getAsString());
        assertEquals(EncodedValue.sha256(gathered.getBytes(StandardCharsets.UTF_8)), returned.get("sha256").getAsString());

        Files.writeString(dir.resolve("outputs.json"), "{\"" + SerialValues.MEMBER + "\": [1]}");
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> collector().collect(new ReturnPlan(false,
                List.of(new ReturnPlan.Output("r", "int")), null), t -> true));
        assertEquals("OutputMalformed", e.name());
    }
}
