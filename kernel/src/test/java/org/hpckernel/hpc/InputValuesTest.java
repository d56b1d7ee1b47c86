package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hpckernel.translate.NotebookSnapshot.Variable;
import org.hpckernel.values.ValueCodec;
import org.junit.jupiter.api.Test;

/** The notebook values a job takes, encoded by the real codec before anything is written; refused whole, never cut. */
class InputValuesTest {
    final Map<String, Object> values = new LinkedHashMap<>();

    final NotebookValues notebook = new NotebookValues() {
        @Override
        public Set<String> names() {
            return values.keySet();
        }

        @Override
        public Optional<String> typeOf(String name) {
            return Optional.ofNullable(values.get(name)).map(v -> v.getClass().getSimpleName());
        }

        @Override
        public Object valueOf(String name) throws Failure {
            if (!values.containsKey(name)) throw new Failure("the notebook has no variable named " + name);
            return values.get(name);
        }

        @Override
        public Map<Integer, String> undecodable(List<String> types, List<String> jsons) {
            Map<Integer, String> problems = new LinkedHashMap<>();
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).equals("Shape")) problems.put(i, "Shape is an interface");
            }
            return problems;
        }

        @Override
        public void bind(String name, String type, String json) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void aValueThatWouldNotDecodeOnTheNodeIsRefusedBeforeSubmitting() {
        values.put("n", 1);
        values.put("shape", Map.of("r", 2));
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> InputValues.encode(
                List.of(new Variable("n", "int"), new Variable("shape", "Shape")), notebook, ValueCodec.standard(), 1 << 20, "/w"));
        assertEquals("ValueNotShippable", e.name());
        assertTrue(e.getMessage().startsWith("nothing was submitted: the cell uses notebook variable `shape` (declared Shape)")
                && e.getMessage().contains("Shape is an interface"), e.getMessage());
    }

    @Test
    void valuesAreEncodedWithTheirSizesAndHashes() throws Exception {
        values.put("n", 42);
        values.put("names", List.of("a", "b"));
        List<EncodedValue> encoded = InputValues.encode(List.of(new Variable("n", "int"), new Variable("names", "List<String>")),
                notebook, ValueCodec.standard(), 1 << 20, "/w");
        assertEquals(List.of(new EncodedValue("n", "int", "42"), new EncodedValue("names", "List<String>", "[\"a\",\"b\"]")), encoded);
        assertEquals(2, encoded.get(0).size());
        assertEquals(EncodedValue.sha256("42".getBytes()), encoded.get(0).sha256());
    }

    @Test
    void aValueThatCannotTravelRefusesTheCellWithTheCodecsReason() {
        values.put("worker", new Thread(() -> { }));
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> InputValues.encode(List.of(new Variable("worker", "Thread")),
                notebook, ValueCodec.standard(), 1 << 20, "/w"));
        assertEquals("ValueNotShippable", e.name());
        assertTrue(e.getMessage().startsWith("nothing was submitted: ") && e.getMessage().contains("worker"), e.getMessage());
    }

    @Test
    void inputsOverTheCapAreRefusedNamingEachVariableAndItsSize() {
        values.put("big", "x".repeat(3000));
        values.put("small", 7);
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> InputValues.encode(
                List.of(new Variable("small", "int"), new Variable("big", "String")), notebook, ValueCodec.standard(), 2048, "/scratch/me"));
        assertEquals("InputTooLarge", e.name());
        assertTrue(e.getMessage().startsWith("nothing was submitted: the notebook values this cell ships (big 2.9 KiB (3002 bytes),"
                + " small 1 bytes) come to 2.9 KiB (3003 bytes), above the cap of 2.0 KiB (2048 bytes)."), e.getMessage());
        assertTrue(e.getMessage().contains("Pass a large input as a file on the cluster's file system instead: write it there (e.g. under"
                + " /scratch/me) and read it in the cell by its path; or raise the cap for this cell with --max-input SIZE"), e.getMessage());
        assertTrue(e.getMessage().contains("\"maxInputBytes\""), e.getMessage());
        assertEquals(List.of("InputTooLarge: the values this cell uses come to 2.9 KiB (3003 bytes), above the cap of 2.0 KiB (2048 bytes):",
                "  big (String): 2.9 KiB (3002 bytes)", "  small (int): 1 bytes"), e.details().subList(0, 3));
    }

    @Test
    void forTakesTheSizeOfAListOrAnArrayAndRefusesAnEmptyOne() throws Exception {
        values.put("xs", List.of(1, 2, 3));
        values.put("arr", new double[] {1, 2});
        values.put("none", List.of());
        values.put("text", "abc");
        assertEquals(3, InputValues.forEachSize(new ValueOptions.ForEach("x", "xs"), notebook));
        assertEquals(2, InputValues.forEachSize(new ValueOptions.ForEach("x", "arr"), notebook));
        assertEquals("--for x:none: none is empty, so there is nothing to run; nothing was submitted",
                assertThrows(ValueRefusal.class, () -> InputValues.forEachSize(new ValueOptions.ForEach("x", "none"), notebook)).getMessage());
        assertEquals("--for x:text: text is a String, not a List or an array",
                assertThrows(ValueRefusal.class, () -> InputValues.forEachSize(new ValueOptions.ForEach("x", "text"), notebook)).getMessage());
        assertTrue(assertThrows(ValueRefusal.class, () -> InputValues.forEachSize(new ValueOptions.ForEach("x", "nope"), notebook))
                .getMessage().startsWith("--for x:nope: the notebook has no variable nope"));
    }
}
