package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.ValueCodec;
import org.junit.jupiter.api.Test;

/** Shipped values bound as notebook variables, decoded against the session's own classes. */
class BindTest extends SharedSession {
    private Object value(String code) {
        CellResult result = evaluator.eval(code);
        assertNull(result.error(), () -> "unexpected error: " + result.error());
        return result.value();
    }

    @Test
    void aValueThatWouldNotDecodeAsItsDeclaredTypeIsFoundInTheKernelWithoutDeclaringAnything() throws Exception {
        value("interface Shape {}");
        value("record Circle(int r) implements Shape {}");
        value("Shape shape = new Circle(2);");
        Set<String> variables = new LinkedHashSet<>(evaluator.variableNames());
        String json = ValueCodec.standard().encode("shape", evaluator.valueOf("shape"));
        var problems = evaluator.undecodable(List.of("int", "Shape", "Circle", "x$(id)"), List.of("3", json, json, "1"));
        assertEquals(Set.of(1, 3), problems.keySet(), problems.toString());
        assertTrue(problems.get(3).contains("not a Java type"), problems.get(3));
        assertEquals(variables, new LinkedHashSet<>(evaluator.variableNames()), "nothing declared");
        assertEquals("", output.text("stdout") + output.text("stderr"), "nothing shown");
    }

    @Test
    void aListOfNotebookRecordsBindsAndIsUsableByTheNextCell() throws Exception {
        value("record Point(int x, int y) {}");
        List<String> declarations = evaluator.declarations();
        Set<String> variables = new LinkedHashSet<>(evaluator.variableNames());

        evaluator.bind("pts", "List<Point>", "[{\"x\": 1, \"y\": 2}, {\"x\": 3, \"y\": 4}]");

        assertEquals(4, value("pts.get(1).x() + 1"));
        Object pts = evaluator.valueOf("pts");
        assertInstanceOf(List.class, pts);
        Class<?> pointClass = ((List<?>) pts).get(0).getClass();
        assertTrue(pointClass.isRecord() && pointClass.getName().startsWith("REPL."), pointClass.getName());
        // Bound quietly: no output, no new declaration, no temporary variable.
        assertEquals(List.of(), output.events());
        assertEquals(declarations, evaluator.declarations());
        variables.add("pts");
        assertEquals(variables, evaluator.variableNames());
    }

    @Test
    void aValueEncodedFromTheSessionBindsAgainAfterTheRecordIsRedefined() throws Exception {
        value("record Sample(String name, double weight) {}");
        value("List<Sample> samples = List.of(new Sample(\"a\", 0.5), new Sample(\"b\", 1.5));");
        String json = ValueCodec.standard().encode("samples", evaluator.valueOf("samples"));
        assertEquals("[{\"name\":\"a\",\"weight\":0.5},{\"name\":\"b\",\"weight\":1.5}]", json);
        // A new class with the same components, as after a kernel restart.
        value("record Sample(String name, double weight) { String label() { return name + \"=\" + weight; } }");

        evaluator.bind("back", "List<Sample>", json);

        assertEquals("b=1.5", value("back.get(1).label()"));
    }

    @Test
    void aPlainClassOfTheNotebookTravelsByItsFields() throws Exception {
        value("class Settings { int rounds = 3; List<String> tags = new ArrayList<>(); Settings() {} }");
        value("Settings settings = new Settings(); settings.rounds = 7; settings.tags.add(\"fast\");");
        String json = ValueCodec.standard().encode("settings", evaluator.valueOf("settings"));
        assertEquals("{\"rounds\":7,\"tags\":[\"fast\"]}", json);

        evaluator.bind("copy", "Settings", json);

        assertEquals("7 [fast]", value("copy.rounds + \" \" + copy.tags"));
    }

    @Test
    void whatOnlyLivesInTheSessionIsRefusedWithItsNotebookName() throws Exception {
        value("record Job(String name, Runnable task) {}");
        value("Job job = new Job(\"j\", () -> {});");
        Exception e = assertThrows(org.hpckernel.values.NotShippableException.class,
                () -> ValueCodec.standard().encode("job", evaluator.valueOf("job")));
        assertTrue(e.getMessage().startsWith("cannot ship `job`: job.task is a "), e.getMessage());
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
        assertTrue(!e.getMessage().contains("$JShell$"), e.getMessage());
    }

    @Test
    void primitivesBindWithTheirOwnType() {
        evaluator.bind("count", "int", "41");
        evaluator.bind("ratio", "double", "\"NaN\"");
        evaluator.bind("names", "String[]", "[\"x\", null]");
        assertEquals(42, value("count + 1"));
        assertEquals(true, value("Double.isNaN(ratio)"));
        assertEquals(2, value("names.length"));
        assertEquals("int", value("((Object) count).getClass() == Integer.class ? \"int\" : \"?\""));
    }

    @Test
    void aValueThatDoesNotDecodeDeclaresNothingAndKeepsTheOldVariable() {
        value("int kept = 5;");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.bind("kept", "int", "\"five\""));
        assertTrue(e.getMessage().startsWith("cannot bind `kept` as int: expected a int"), e.getMessage());
        assertInstanceOf(MalformedValueException.class, e.getCause());
        assertEquals(5, value("kept"));

        e = assertThrows(IllegalArgumentException.class, () -> evaluator.bind("kept", "int", "null"));
        assertTrue(e.getMessage().contains("null where a int is expected"), e.getMessage());
        assertEquals(5, value("kept"));
    }

    @Test
    void anUnknownTypeOrABadNameIsRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.bind("q", "NoSuchType", "1"));
        assertTrue(e.getMessage().startsWith("cannot bind `q` as NoSuchType: cannot find symbol"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> evaluator.valueOf("q"));
        e = assertThrows(IllegalArgumentException.class, () -> evaluator.bind("x; System.exit(1)", "int", "1"));
        assertTrue(e.getMessage().contains("not a Java variable name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> evaluator.bind("y", "int y = 1; System.exit(1); int", "1"));
        assertTrue(e.getMessage().contains("is not a Java type"), e.getMessage());
    }

    @Test
    void valueOfGivesTheObjectNotItsText() {
        value("StringBuilder builder = new StringBuilder(\"abc\");");
        assertInstanceOf(StringBuilder.class, evaluator.valueOf("builder"));
        value("Object nothing = null;");
        assertNull(evaluator.valueOf("nothing"));
    }
}
