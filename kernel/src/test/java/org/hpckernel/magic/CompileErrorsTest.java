package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.translate.CellCompileException;
import org.junit.jupiter.api.Test;

/** A compile error points at the cell as the user sees it: the %%hpc line is line 1, indentation counted. */
class CompileErrorsTest {
    @Test
    void bodyLinesAreShiftedByTheMagicLineAndColumnsByTheIndentation() {
        String body = "    int n = 3;\n    System.out.printn(n);\n";
        String dedented = CellPayload.of(body).body();
        assertEquals("int n = 3;\nSystem.out.printn(n);\n", dedented);
        CellCompileException e = new CellCompileException("does not compile", List.of(new CellCompileException.Problem(
                "cell", 2, 11, "cannot find symbol\n  symbol: method printn(int)", "System.out.printn(n);")));
        MagicException m = CompileErrors.of(e, body, dedented);
        assertEquals("CompileError", m.ename());
        assertEquals("the cell does not compile, nothing was submitted: cell line 3, column 15: cannot find symbol\n"
                + "  symbol: method printn(int)", m.getMessage());
        assertEquals(List.of("CompileError: cell line 3, column 15: cannot find symbol\n  symbol: method printn(int)",
                "        System.out.printn(n);",
                "                  ^",
                "Nothing was submitted: fix the cell and run it again."), m.traceback());
    }

    @Test
    void aProblemInANotebookDeclarationIsNamedAsSuch() {
        CellCompileException e = new CellCompileException("x", List.of(
                new CellCompileException.Problem("Point", 1, 20, "';' expected", "record Point(int x) {"),
                new CellCompileException.Problem("cell", 1, 1, "incompatible types", "String s = 1;")));
        MagicException m = CompileErrors.of(e, "String s = 1;\n", "String s = 1;\n");
        assertTrue(m.getMessage().contains("notebook declaration Point, line 1, column 20: ';' expected; cell line 2, column 1:"
                + " incompatible types"), m.getMessage());
        assertEquals("    ^", m.traceback().get(5));
    }
}
