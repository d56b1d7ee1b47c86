package org.hpckernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hpckernel.eval.CellError;
import org.hpckernel.eval.CellResult;
import org.hpckernel.eval.JavaEvaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeclarationsTest {
    private static JavaEvaluator evaluator;

    @BeforeAll
    static void start() {
        evaluator = new JavaEvaluator(List.of());
        evaluator.start();
    }

    @AfterAll
    static void close() {
        evaluator.close();
    }

    @Test
    void splitsAtBlankLinesButKeepsBlankLinesInsideADeclaration() {
        String text = "import java.time.LocalDate;\n\n"
                + "/** A point. */\n@SuppressWarnings(\"unused\")\nrecord Point(int x, int y) {\n\n"
                + "    int sum() { return x + y; }\n\n\n    String s() { return \"\"\"\n        a\n\n        b\n        \"\"\"; }\n}\n\n"
                + "int twice(int x) {\n    return 2 * x;\n}\n";
        List<Declarations.Declaration> parts = Declarations.split(evaluator, text);
        assertEquals(List.of("import java.time.LocalDate;", "record Point(int x, int y)", "int twice(int x)"),
                parts.stream().map(Declarations.Declaration::name).toList());
        assertEquals(List.of(1, 3, 17), parts.stream().map(Declarations.Declaration::line).toList());
        assertTrue(parts.get(1).source().contains("{\n\n    int sum()"));
        assertTrue(parts.get(1).source().contains("a\n\n        b"));
        assertEquals(List.of(), Declarations.split(evaluator, "\n\n  \n"));
    }

    @Test
    void namesAreShortAndSkipCommentsAndAnnotations() {
        assertEquals("class Big", Declarations.nameOf("// note\n/* multi\n line */\n@Deprecated\nclass Big {\n}"));
        assertEquals(80, Declarations.nameOf("int f(" + "int a, ".repeat(30) + "int z) { return 0; }").length());
    }

    @Test
    void aFailingDeclarationIsNamed() {
        try (JavaEvaluator session = new JavaEvaluator(List.of())) {
            session.start();
            Declarations declarations = new Declarations();
            CellError error = declarations.replay(session,
                    "record Ok(int a) {}\n\nint later() { return helper(); }\n\nint broken() {\n    return \"text\";\n}\n\n"
                            + "int helper() { return 1; }\n");
            assertEquals(CellError.COMPILATION_ERROR, error.ename());
            assertTrue(error.evalue().startsWith("while replaying the notebook's declarations: `int broken()`: "),
                    error.evalue());
            assertTrue(error.traceback().get(0).contains("declarations.jsh line 5"), error.traceback().get(0));
        }
    }

    @Test
    void tracebacksPointAtDeclarationsNotInternalCellNumbers() {
        try (JavaEvaluator session = new JavaEvaluator(List.of())) {
            session.start();
            Declarations declarations = new Declarations();
            assertNull(declarations.replay(session, "int one() { return 1; }\n\nint fail(int x) {\n    throw new IllegalStateException(\"no \" + x);\n}\n"));
            CellResult result = session.eval("int y = 2;\nfail(y)");
            CellError error = declarations.relabel(result.error());
            String traceback = String.join("\n", error.traceback());
            assertEquals("java.lang.IllegalStateException", error.ename());
            assertTrue(traceback.contains("(declaration `int fail(int x)`, line 2)"), traceback);
            assertTrue(traceback.contains("cell line 2"), traceback);
        }
    }
}
