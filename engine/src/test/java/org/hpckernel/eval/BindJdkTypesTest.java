package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hpckernel.values.MalformedValueException;
import org.junit.jupiter.api.Test;

/**
 * A String, primitive or box is decoded in the kernel rather than in a statement compiled in the
 * session; a notebook type of the same name still wins, and a value that does not decode still
 * binds nothing.
 */
class BindJdkTypesTest extends SharedSession {
    private Object value(String code) {
        CellResult result = evaluator.eval(code);
        assertNull(result.error(), () -> "unexpected error: " + result.error());
        return result.value();
    }

    @Test
    void jdkTypesBindAndAreUsableWithTheirTypes() {
        evaluator.bind("s", "String", "\"" + "x".repeat(100_000) + "\"");
        evaluator.bind("i", "int", "41");
        evaluator.bind("c", "Character", "\"z\"");
        evaluator.bind("d", "double", "\"NaN\"");
        assertEquals(100_001, value("s.replace('x', 'y').length() + 1"));
        assertEquals(42, value("i + 1"));
        assertEquals("Z", value("String.valueOf(Character.toUpperCase(c))"));
        assertEquals(true, value("Double.isNaN(d)"));
        assertEquals(List.of(), output.events());
    }

    @Test
    void aValueThatDoesNotDecodeBindsNothingAndTheOldValueStays() {
        value("int kept = 7;");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator.bind("kept", "int", "\"seven\""));
        assertTrue(e.getMessage().startsWith("cannot bind `kept` as int: "), e.getMessage());
        assertInstanceOf(MalformedValueException.class, e.getCause());
        assertThrows(IllegalArgumentException.class, () -> evaluator.bind("kept", "int", "null"));
        assertEquals(7, value("kept"));
        assertEquals(java.util.Map.of(0, evaluator.undecodable(List.of("int"), List.of("\"seven\"")).get(0)),
                evaluator.undecodable(List.of("int", "String"), List.of("\"seven\"", "\"ok\"")));
    }

    @Test
    void aNotebookTypeNamedLikeAJdkTypeIsTheOneBound() {
        value("record Short(int n) {}");
        evaluator.bind("mine", "Short", "{\"n\": 3}");
        assertEquals(4, value("mine.n() + 1"));
        assertTrue(evaluator.undecodable(List.of("Short"), List.of("{\"n\": 3}")).isEmpty());
        assertEquals(java.util.Set.of(0), evaluator.undecodable(List.of("Short"), List.of("3")).keySet());
    }
}
