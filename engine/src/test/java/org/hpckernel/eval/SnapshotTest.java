package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hpckernel.translate.CellCompiler;
import org.hpckernel.translate.CompiledCell;
import org.hpckernel.translate.NotebookSnapshot;
import org.hpckernel.translate.NotebookSnapshot.Variable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session as plain Java sees it, and a cell compiled against it. */
class SnapshotTest {
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
    void aFreshSessionIsEmpty() {
        NotebookSnapshot snapshot = evaluator.snapshot();
        assertEquals(List.of(), snapshot.imports(), "startup imports are not the notebook's");
        assertEquals(List.of(), snapshot.declarations());
        assertEquals(List.of(), snapshot.variables());
    }

    @Test
    void importsDeclarationsAndVariablesWithTheirResolvedTypes() {
        ok("import java.time.*;");
        ok("record Point(int x, int y) {}\nList<Point> points = List.of(new Point(1, 2), new Point(3, 4));");
        ok("var origin = new Point(0, 0);\nint factor = 3;\nvar table = new HashMap<String, List<Point>>();");
        ok("Point scaled(Point p) { return new Point(p.x() * factor, p.y() * factor); }");
        ok("var mixed = List.of(1, \"a\");\nPoint[] grid = {origin};\nvar when = LocalDate.of(2026, 1, 1);");
        ok("1 + 1");
        ok("int factor = 4;");

        NotebookSnapshot snapshot = evaluator.snapshot();
        assertEquals(List.of("import java.time.*;"), snapshot.imports());
        assertEquals(List.of("TYPE Point", "METHOD scaled"),
                snapshot.declarations().stream().map(d -> d.kind() + " " + d.name()).collect(Collectors.toList()));
        assertEquals("record Point(int x, int y) {}", snapshot.declarations().get(0).source());
        Map<String, String> types = snapshot.variables().stream().collect(Collectors.toMap(Variable::name, Variable::type));
        assertEquals(List.of("points", "origin", "table", "mixed", "grid", "when", "factor"),
                snapshot.variables().stream().map(Variable::name).collect(Collectors.toList()),
                "definition order, the redefined factor last, no temporary $n");
        assertEquals("List<Point>", types.get("points"));
        assertEquals("Point", types.get("origin"), "var takes the initialiser's type");
        assertEquals("HashMap<String,List<Point>>", types.get("table"));
        assertEquals("Point[]", types.get("grid"));
        assertEquals("LocalDate", types.get("when"));
        assertEquals("int", types.get("factor"));
        for (Variable variable : snapshot.variables()) {
            assertFalse(variable.type().contains("$JShell") || variable.type().contains("REPL."), variable.toString());
        }
    }

    @Test
    void aVariableWhoseTypeWasRedefinedIsLeftOut() {
        ok("record Point(int x, int y) {}\nvar p = new Point(1, 2);\nint kept = 1;");
        ok("record Point(int x, int y, int z) {}");

        assertEquals(List.of(new Variable("kept", "int")), evaluator.snapshot().variables());
    }

    @Test
    void aCellCompilesAgainstTheSessionsSnapshot() throws Exception {
        ok("record Point(int x, int y) {}\nList<Point> points = List.of(new Point(1, 2), new Point(3, 4));\nint factor = 3;");
        ok("Point scaled(Point p) { return new Point(p.x() * factor, p.y() * factor); }\nString unrelated = \"x\";");

        CompiledCell cell = new CellCompiler(evaluator.classpath()).compile(evaluator.snapshot(),
                "var moved = scaled(p);\nmoved", List.of("moved"), "p:points");

        assertEquals(List.of(new Variable("points", "List<Point>"), new Variable("factor", "int")), cell.inputs(),
                "what the cell and scaled() use, in the notebook's order; not unrelated");
        assertEquals(List.of(new Variable("moved", "Point")), cell.outputs());
        assertTrue(cell.sources().get("Cell.java").contains("        Point p = points.get(io.arrayIndex());\n"));
        for (String source : cell.sources().values()) {
            assertFalse(source.contains("$JShell") || source.contains("REPL."), source);
        }
    }

    @Test
    void translatedFilesImportWhatTheSessionImportsAtStartup() {
        // Generated classes see the same names as a cell: the two lists must not drift apart.
        assertEquals(JavaEvaluator.DEFAULT_IMPORTS, NotebookSnapshot.DEFAULT_IMPORTS);
    }

    @Test
    void jshellWrapperNamesAreRemovedFromTypes() {
        assertEquals("List<Point>", org.hpckernel.translate.JShellNames.plain("List<REPL.$JShell$12$Point>"));
        assertEquals("Map<String, Point>", org.hpckernel.translate.JShellNames.plain("Map<String, $JShell$7B$Point>"));
        assertEquals("java.awt.Point", org.hpckernel.translate.JShellNames.plain("java.awt.Point"));
    }
}
