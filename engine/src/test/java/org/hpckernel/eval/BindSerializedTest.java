package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hpckernel.values.NotebookClassNames;
import org.hpckernel.values.SerialStreams;
import org.hpckernel.values.SerialValues;
import org.junit.jupiter.api.Test;

/**
 * Values in binary form bound in the session: created in its class loader, notebook types by the
 * name the user wrote (whether the stream names the kernel's wrapper class or the node's compiled
 * class), through the allow-list filter.
 */
class BindSerializedTest extends SharedSession {
    private Object value(String code) {
        CellResult result = evaluator.eval(code);
        assertNull(result.error(), () -> "unexpected error: " + result.error());
        return result.value();
    }

    private String serialized(String variable) throws Exception {
        return SerialValues.serialize(variable, evaluator.valueOf(variable),
                SerialValues.Classes.definedBy(evaluator.sessionClassLoader(), name -> null), SerialValues.Limits.DEFAULT);
    }

    @Test
    void aNotebookRecordBindsAfterARedefinitionAndFromTheNodesName() throws Exception {
        value("record Flags(int x, BitSet on) implements java.io.Serializable {}");
        value("BitSet on = new BitSet(); on.set(4); Flags mine = new Flags(2, on);");
        String text = serialized("mine");
        String kernelName = evaluator.valueOf("mine").getClass().getName();
        assertTrue(kernelName.startsWith("REPL.$JShell$"), kernelName);

        value("record Flags(int x, BitSet on) implements java.io.Serializable { int next() { return x + 1; } }");
        evaluator.bind("again", "Flags", text);
        assertEquals(true, value("again instanceof Flags"));
        assertEquals("3 {4}", value("again.next() + \" \" + again.on()"));

        // As the node returns it: its compiled class hpccell.Flags.
        String fromNode = SerialStreams.text(SerialStreams.rename(SerialStreams.bytes(text), kernelName,
                NotebookClassNames.COMPILED_PACKAGE + ".Flags"));
        evaluator.bind("returned", "Flags", fromNode);
        assertEquals(3, value("returned.next()"));

        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> evaluator.bind("wrong", "List<Flags>", fromNode));
        assertTrue(wrongType.getMessage().contains("the binary value is a Flags, not a List<Flags>"), wrongType.getMessage());
        assertTrue(!evaluator.variableNames().contains("wrong"), "nothing declared");
    }

    @Test
    void aStreamOutsideTheAllowListIsRefusedAndNothingIsDeclared() throws Exception {
        String hostile = SerialStreams.text(SerialStreams.raw(new java.text.DecimalFormat("0.00")));
        Map<Integer, String> problems = evaluator.undecodable(List.of("Object", "int"), List.of(hostile, "1"));
        assertEquals(List.of(0), List.copyOf(problems.keySet()), problems.toString());
        assertTrue(problems.get(0).contains("it holds a java.text.DecimalFormat, which is not allowed to travel in binary form"),
                problems.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator.bind("fmt", "Object", hostile));
        assertTrue(e.getMessage().startsWith("cannot bind `fmt` as Object: the binary value was refused"), e.getMessage());
        assertTrue(!evaluator.variableNames().contains("fmt"), "nothing declared");
        assertEquals("", output.text("stdout") + output.text("stderr"), "nothing shown");
    }
}
