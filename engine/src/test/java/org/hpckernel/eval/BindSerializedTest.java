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

    @Test
    void anArraysValuesBindAsAListOfTheNotebooksTypeWithNullsInTaskOrder() throws Exception {
        value("record Mark(int x, BitSet on) implements java.io.Serializable {}");
        value("BitSet on5 = new BitSet(); on5.set(5); Mark m0 = new Mark(0, on5); Mark m2 = new Mark(2, new BitSet());");
        String kernelName = evaluator.valueOf("m0").getClass().getName();
        // As the tasks return them: the node's compiled class hpccell.Mark; task 1 failed.
        String m0 = SerialStreams.text(SerialStreams.rename(SerialStreams.bytes(serialized("m0")), kernelName,
                NotebookClassNames.COMPILED_PACKAGE + ".Mark"));
        String gathered = SerialValues.gather(java.util.Arrays.asList(m0, null, serialized("m2")));
        evaluator.bind("marks", "List<Mark>", gathered);
        assertEquals("3 true true true 5", value("marks.size() + \" \" + marks.get(0).equals(m0) + \" \" + (marks.get(1) == null)"
                + " + \" \" + marks.get(2).equals(m2) + \" \" + marks.get(0).on().nextSetBit(0)"));

        // The byte limit is the one given (the cap the values travelled under).
        IllegalArgumentException tight = assertThrows(IllegalArgumentException.class,
                () -> evaluator.bind("small", "List<Mark>", gathered, 50));
        assertTrue(tight.getMessage().contains("element 0: the binary value is"), tight.getMessage());
        assertTrue(tight.getMessage().endsWith("above the limit of 50"), tight.getMessage());
        assertTrue(!evaluator.variableNames().contains("small"), "nothing declared");
    }
}
