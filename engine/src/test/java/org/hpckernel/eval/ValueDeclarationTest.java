package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cell's last expression runs as a declared variable: same values, output, errors and session
 * as when JShell evaluates the expression itself, and no trace of the variable afterwards.
 */
class ValueDeclarationTest extends SharedSession {
    private CellResult ok(String code) {
        CellResult result = evaluator.eval(code);
        assertNull(result.error(), () -> "unexpected error: " + result.error());
        return result;
    }

    @Test
    void onlyValueExpressionsAreRewritten() {
        assertEquals("Object $hpc$value7 = 1 + 1\n;", ValueDeclaration.of("1 + 1", 7));
        assertNotNull(ValueDeclaration.of("a == b && c <= d && e >= f && g != h", 1));
        assertNotNull(ValueDeclaration.of("\"x = 1\" + 'a' // y = 2", 1));
        assertNotNull(ValueDeclaration.of("i++", 1));
        for (String notAValue : List.of("x = 5", "x += 1", "x <<= 2", "x >>>= 1", "list.forEach(e -> { int y = e; })",
                "1 + 1;", "int x = 5", "void f() {}", "class A {}", "{ }", "@Deprecated int f() { return 1; }",
                "if (true) { }", "switch (1) { default: yield 2; }", "\"\"\"\n  text\n  \"\"\"", "return 1")) {
            assertNull(ValueDeclaration.of(notAValue, 1), notAValue);
        }
    }

    @Test
    void valuesAreTheExpressionsObjectsAndLeaveNoVariable() {
        ok("int base = 40;");
        ok("int plus(int x) { return x + base; }");
        assertEquals(42, ok("plus(2)").value());
        assertEquals('b', ok("(char) ('a' + 1)").value());
        assertEquals(List.of(1, 2), ok("List.of(1, 2) // a comment").value());
        assertEquals(40, ok("base").value());
        assertEquals(40, ok("base++").value());
        assertEquals(41, ok("base").value());
        assertFalse(evaluator.variableNames().stream().anyMatch(n -> n.startsWith("$")), evaluator.variableNames().toString());
    }

    @Test
    void whatTheDeclarationCannotTakeRunsAsJShellsExpressionOnce() {
        ok("int calls = 0;");
        ok("void bump() { calls++; }");
        CellResult voidCall = ok("bump()");
        assertFalse(voidCall.hasValue());
        assertEquals(1, ok("calls").value());
        assertFalse(ok("calls = 5").hasValue()); // assignments show no value, as before
        assertEquals(5, ok("calls").value());
        CellError unknown = evaluator.eval("notDeclaredAnywhere(1)").error();
        assertNotNull(unknown);
        assertEquals("CompilationError", unknown.ename());
        assertTrue(unknown.evalue().contains("cannot find symbol"), unknown.evalue());
        assertFalse(unknown.evalue().contains(ValueDeclaration.NAME), unknown.evalue());
        CellError lambda = evaluator.eval("() -> 1").error();
        assertNotNull(lambda);
        assertFalse(lambda.evalue().contains(ValueDeclaration.NAME), lambda.evalue());
        assertFalse(evaluator.variableNames().stream().anyMatch(n -> n.startsWith("$")), evaluator.variableNames().toString());
    }

    @Test
    void anExceptionInTheExpressionIsTheCellsRuntimeErrorAtItsLine() {
        CellError error = evaluator.eval("int zero = 0;\n\n10 / zero").error();
        assertNotNull(error);
        assertEquals("java.lang.ArithmeticException", error.ename());
        assertEquals("\tat do_it$ (cell line 3)", error.traceback().get(1), error.traceback().toString());
        String traceback = String.join("\n", error.traceback());
        assertFalse(traceback.contains(ValueDeclaration.NAME), traceback);
        assertFalse(evaluator.variableNames().stream().anyMatch(n -> n.startsWith("$")));
    }
}
