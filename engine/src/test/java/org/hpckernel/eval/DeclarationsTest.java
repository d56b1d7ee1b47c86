package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a session reports about itself for replay on a compute node. */
class DeclarationsTest {
    private JavaEvaluator evaluator;

    @BeforeEach
    void start() {
        evaluator = new JavaEvaluator(List.of());
        evaluator.start();
    }

    @AfterEach
    void close() {
        evaluator.close();
    }

    private void ok(String code) {
        CellResult result = evaluator.eval(code);
        assertNull(result.error(), () -> String.valueOf(result.error()));
    }

    @Test
    void aFreshSessionHasNoUserDeclarations() {
        assertEquals(List.of(), evaluator.declarations());
        assertEquals(Set.of(), evaluator.variableNames());
    }

    @Test
    void declarationsListImportsTypesAndMethodsInDefinitionOrderWithoutVariables() {
        ok("import java.time.LocalDate;");
        ok("int twice(int x) { return 2 * x; }\nint seed = twice(21);");
        ok("record Pair(int a, int b) {}\nenum Color { RED, GREEN }\ninterface Shape { double area(); }");
        ok("twice(4)");
        ok("String label = \"x\";");
        ok("int twice(int x) { return x + x; }");

        assertEquals(List.of(
                "import java.time.LocalDate;",
                "record Pair(int a, int b) {}",
                "enum Color { RED, GREEN }",
                "interface Shape { double area(); }",
                "int twice(int x) { return x + x; }"), evaluator.declarations());
        assertEquals(Set.of("seed", "label"), evaluator.variableNames());
    }

    @Test
    void replayingDeclarationsRebuildsTheSession() {
        ok("class Box { int v; Box(int v) { this.v = v; } }\nint unbox(Box b) { return b.v; }");
        List<String> declarations = evaluator.declarations();
        try (JavaEvaluator node = new JavaEvaluator(List.of())) {
            node.start();
            for (String declaration : declarations) {
                assertNull(node.eval(declaration).error());
            }
            assertEquals(7, node.eval("unbox(new Box(7))").value());
        }
    }

    @Test
    void addedClasspathEntriesAreUsableAndListed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hpc-marker.txt"), "found me");
        evaluator.addToClasspath(dir.toString());
        assertEquals(List.of(dir.toString()), evaluator.classpath());
        CellResult result = evaluator.eval("new String(Thread.currentThread().getContextClassLoader()"
                + ".getResourceAsStream(\"hpc-marker.txt\").readAllBytes())");
        assertNull(result.error(), () -> String.valueOf(result.error()));
        assertEquals("found me", result.value());
    }

    @Test
    void constructorClasspathIsListedToo() {
        try (JavaEvaluator withExtra = new JavaEvaluator(List.of(EvaluatorFixture.testClasses()))) {
            assertEquals(List.of(EvaluatorFixture.testClasses()), withExtra.classpath());
        }
    }

    @Test
    void evalBeforeStartIsAClearError() {
        try (JavaEvaluator notStarted = new JavaEvaluator(List.of())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> notStarted.eval("1"));
            assertTrue(e.getMessage().contains("start()"));
        }
    }
}
