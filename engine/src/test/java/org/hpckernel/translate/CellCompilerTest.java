package org.hpckernel.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.stream.Collectors;
import org.hpckernel.translate.NotebookSnapshot.Declaration;
import org.hpckernel.translate.NotebookSnapshot.Kind;
import org.hpckernel.translate.NotebookSnapshot.Variable;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.CellProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellCompilerTest {
    private static final NotebookSnapshot NOTEBOOK = new NotebookSnapshot(
            List.of("import java.time.*;"),
            List.of(
                    new Declaration(Kind.TYPE, "Point", "/** A point on the grid. */\nrecord Point(int x, int y) {\n"
                            + "    Point plus(Point o) { return new Point(x + o.x, y + o.y); }\n}"),
                    new Declaration(Kind.METHOD, "scaled", "// scales by the notebook's factor\nPoint scaled(Point p) {\n"
                            + "    return new Point(p.x() * factor, p.y() * factor);\n}"),
                    new Declaration(Kind.METHOD, "unused", "int unused() { return secret; }"),
                    new Declaration(Kind.TYPE, "Color", "enum Color { RED, GREEN }"),
                    new Declaration(Kind.METHOD, "broken", "int broken() {\n    return undefinedThing + 1;\n}")),
            List.of(new Variable("factor", "int"), new Variable("points", "List<Point>"), new Variable("grid", "Point[]"),
                    new Variable("secret", "int"), new Variable("names", "List<String>"), new Variable("sizes", "int[]"),
                    new Variable("counts", "Map<String, Integer>")));

    private final CellCompiler compiler = new CellCompiler(List.of());

    @TempDir
    Path jars;

    @Test
    void notebookTypesMethodsAndTheVariablesTheCellUsesBecomePlainJava() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "var best = scaled(points.get(0));\nbest", List.of(), null);

        Map<String, String> sources = cell.sources();
        assertEquals(List.of("Point.java", "Notebook.java", "Cell.java"), new ArrayList<>(sources.keySet()),
                "only what the cell reaches: Color, unused() and secret are left out");
        String point = sources.get("Point.java");
        assertTrue(point.startsWith("package hpccell;\n"), point);
        assertTrue(point.contains("/** A point on the grid. */\npublic record Point(int x, int y) {\n"
                + "    Point plus(Point o) { return new Point(x + o.x, y + o.y); }\n}"), point);
        for (String file : sources.values()) {
            assertTrue(file.contains("import java.util.*;\n"), file);
            assertTrue(file.contains("import java.time.*;\n"), file);
            assertTrue(file.contains("import static org.hpckernel.display.Display.*;\n"), file);
        }
        assertTrue(point.contains("import static hpccell.Notebook.*;\n"), point);
        String notebook = sources.get("Notebook.java");
        assertTrue(notebook.contains("    static int factor;\n    static List<Point> points;\n"), notebook);
        assertTrue(notebook.contains("    // scales by the notebook's factor\n    static Point scaled(Point p) {\n"
                + "        return new Point(p.x() * factor, p.y() * factor);\n    }\n"), notebook);
        assertFalse(notebook.contains("secret") || notebook.contains("unused"), notebook);
        String main = sources.get("Cell.java");
        assertTrue(main.contains("public final class Cell implements CellProgram {"), main);
        assertTrue(main.contains("        factor = io.input(\"factor\", new TypeCapture<Integer>() {});\n"
                + "        points = io.input(\"points\", new TypeCapture<List<Point>>() {});\n"), main);
        assertTrue(main.contains("        var best = scaled(points.get(0));\n        return best;\n"), main);
        assertEquals("hpccell.Cell", cell.mainClass());
        assertEquals(List.of(new Variable("factor", "int"), new Variable("points", "List<Point>")), cell.inputs());
        assertEquals(List.of(), cell.outputs());
        assertPlainJava(cell);
    }

    @Test
    void cellImportsMethodsAndTypesAreHoistedAndCommentsKept() throws Throwable {
        String body = "// atomics for the counter\nimport java.util.concurrent.atomic.*;\n"
                + "// count with a helper\n"
                + "var counter = new AtomicInteger();\n"
                + "/** Twice the value. */\n"
                + "int twice(int v) { return 2 * v; }\n"
                + "record Pair(int a, int b) {}\n"
                + "class Acc { int total; }\n"
                + "var acc = new Acc();\n"
                + "acc.total = twice(counter.incrementAndGet()); // adds 2\n"
                + "new Pair(acc.total, 1).a()";
        CompiledCell cell = compiler.compile(NOTEBOOK, body, List.of(), null);

        String main = cell.sources().get("Cell.java");
        assertTrue(main.contains("\n// atomics for the counter\nimport java.util.concurrent.atomic.*;\n"), main);
        assertTrue(main.contains("        // count with a helper\n        var counter = new AtomicInteger();\n"), main);
        assertTrue(main.contains("        acc.total = twice(counter.incrementAndGet()); // adds 2\n"), main);
        assertTrue(main.contains("    /** Twice the value. */\n    static int twice(int v) { return 2 * v; }\n"), main);
        assertTrue(main.contains("    record Pair(int a, int b) {}\n"), main);
        assertTrue(main.contains("    static class Acc { int total; }\n"), main);
        assertTrue(main.indexOf("static int twice") > main.indexOf("return new Pair"), "run() first, then the cell's declarations");
        assertEquals(2, run(cell, Map.of(), -1).value);
    }

    @Test
    void stringConcatenationIsCompiledInlineSoTheNodeSpinsNoLambdaForms() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "int n = 3;\nSystem.out.println(\"n = \" + n);", List.of(), null);
        try (var jar = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(cell.jar()))) {
            for (var e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
                if (!e.getName().endsWith(".class")) continue;
                String bytes = new String(jar.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains("StringConcatFactory"), e.getName() + " uses indy string concatenation");
            }
        }
    }

    @Test
    void aTypoIsReportedAtTheCellsLineAndColumn() {
        CellCompileException error = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int a = 1;\n// print it\nSystem.out.printn(a);\n", List.of(), null));

        CellCompileException.Problem problem = error.problems().get(0);
        assertEquals("cell", problem.where());
        assertEquals(3, problem.line());
        assertEquals(11, problem.column());
        assertEquals("System.out.printn(a);", problem.sourceLine());
        assertTrue(problem.message().contains("cannot find symbol") && problem.message().contains("printn"), problem.message());
        assertTrue(error.getMessage().contains("cell, line 3, column 11"), error.getMessage());
        assertFalse(error.getMessage().contains("hpccell.") || error.getMessage().contains("$JShell"), error.getMessage());
    }

    @Test
    void aTypeErrorInsideABlockAndAfterAHoistedMethodKeepsItsPlace() {
        String body = "int twice(int v) {\n    return 2 * v;\n}\nfor (int i = 0; i < 2; i++) {\n    String s = twice(i);\n}";
        CellCompileException error = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, body, List.of(), null));

        CellCompileException.Problem problem = error.problems().get(0);
        assertEquals(List.of("cell", 5L, 21L, "    String s = twice(i);"),
                List.of(problem.where(), problem.line(), problem.column(), problem.sourceLine()), problem.toString());
        assertTrue(problem.message().contains("incompatible types"), problem.message());
    }

    @Test
    void anErrorInANotebookDeclarationNamesIt() {
        CellCompileException error = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "broken()", List.of(), null));

        CellCompileException.Problem problem = error.problems().get(0);
        assertEquals(List.of("broken", 2L, 12L, "    return undefinedThing + 1;"),
                List.of(problem.where(), problem.line(), problem.column(), problem.sourceLine()), problem.toString());
        assertTrue(error.getMessage().contains("broken, line 2, column 12: cannot find symbol"), error.getMessage());
    }

    @Test
    void warningsDoNotFailTheCell() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "@SuppressWarnings(\"unused\") Integer boxed = new Integer(41);\nboxed + 1",
                List.of(), null);

        assertEquals(42, run(cell, Map.of(), -1).value);
    }

    @Test
    void outputTypesAreWrittenAsTheNotebookWritesThem() throws Throwable {
        String body = "var best = scaled(points.get(0));\n"
                + "List<Point> moved = new ArrayList<>(points);\n"
                + "int count = moved.size();\n"
                + "var table = new HashMap<String, List<Point>>();\n"
                + "var when = LocalDate.of(2026, 1, 1);\n"
                + "var color = new java.awt.Point(1, 2);\n"
                + "String[] words = {\"a\"}, more = {};\n"
                + "var c = Color.RED;\n"
                + "var entry = Map.entry(\"k\", 1L);\n";
        List<String> outs = List.of("best", "moved", "count", "table", "when", "color", "words", "more", "c", "entry");
        CompiledCell cell = compiler.compile(NOTEBOOK, body, outs, null);

        assertEquals(List.of("best Point", "moved List<Point>", "count int", "table HashMap<String, List<Point>>",
                        "when LocalDate", "color java.awt.Point", "words String[]", "more String[]", "c Color",
                        "entry Map.Entry<String, Long>"),
                cell.outputs().stream().map(v -> v.name() + " " + v.type()).collect(Collectors.toList()));
        assertTrue(cell.sources().get("Cell.java").contains("        io.output(\"best\", best);\n"), cell.sources().get("Cell.java"));
    }

    @Test
    void anOutThatTheCellDoesNotDeclareIsRefusedByName() {
        CellCompileException error = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int found = 1;\nif (found > 0) { int inner = 2; }", List.of("result"), null));
        assertTrue(error.getMessage().contains("--out result: result is not declared in the cell body"), error.getMessage());
        assertTrue(error.getMessage().contains("declare it there, for example `var result = ...;`"), error.getMessage());

        CellCompileException syntax = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int result = 1\nint other = 2\nresult", List.of("result"), null));
        assertEquals(List.of("cell", 1L), List.of(syntax.problems().get(0).where(), syntax.problems().get(0).line()),
                "a syntax error is the most useful thing to show: " + syntax.getMessage());

        CellCompileException nested = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int found = 1;\nif (found > 0) { int inner = 2; }", List.of("inner"), null));
        assertTrue(nested.getMessage().contains("--out inner"), nested.getMessage());
    }

    @Test
    void anOutWhoseTypeOnlyTheCellKnowsIsRefused() {
        CellCompileException error = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "record Pair(int a, int b) {}\nvar pair = new Pair(1, 2);", List.of("pair"), null));
        assertTrue(error.getMessage().contains("--out pair"), error.getMessage());
        assertTrue(error.getMessage().contains("Pair is declared in this cell"), error.getMessage());
        assertTrue(error.getMessage().contains("declare Pair in an ordinary notebook cell"), error.getMessage());
        assertEquals("--out pair", error.problems().get(0).where());

        CellCompileException anonymous = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "var thing = new Object() { int a = 1; };", List.of("thing"), null));
        assertTrue(anonymous.getMessage().contains("--out thing") && anonymous.getMessage().contains("anonymous"),
                anonymous.getMessage());
    }

    @Test
    void theFinalExpressionIsTheValueAndOutsAreWrittenAfterTheBody() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "int a = 20;\nString label = \"x\" + a;\na + 22;", List.of("a", "label"), null);

        Ran ran = run(cell, Map.of(), -1);
        assertEquals(42, ran.value);
        assertEquals(Map.of("a", 20, "label", "x20"), ran.io.outputs);
        assertEquals(List.of(new Variable("a", "int"), new Variable("label", "String")), cell.outputs());
    }

    @Test
    void aVoidCallAtTheEndGivesNoValue() throws Throwable {
        CompiledCell plain = compiler.compile(NOTEBOOK, "int a = 1;\nSystem.out.println(a)", List.of(), null);
        assertSame(CellIO.NO_VALUE, run(plain, Map.of(), -1).value);

        CompiledCell withOut = compiler.compile(NOTEBOOK, "int a = 1;\nSystem.out.println(a);", List.of("a"), null);
        Ran ran = run(withOut, Map.of(), -1);
        assertSame(CellIO.NO_VALUE, ran.value);
        assertEquals(Map.of("a", 1), ran.io.outputs);

        CompiledCell statement = compiler.compile(NOTEBOOK, "int a = 1;\nif (a > 0) { a++; }", List.of("a"), null);
        assertSame(CellIO.NO_VALUE, run(statement, Map.of(), -1).value);

        CompiledCell unusualVoid = compiler.compile(NOTEBOOK, "Thread.yield()", List.of(), null);
        assertSame(CellIO.NO_VALUE, run(unusualVoid, Map.of(), -1).value);
        CompiledCell setterWithValue = compiler.compile(NOTEBOOK,
                "System.setProperty(\"hpc.translate.test\", \"x\");\nSystem.setProperty(\"hpc.translate.test\", \"y\")",
                List.of(), null);
        assertEquals("x", run(setterWithValue, Map.of(), -1).value, "a call named like a setter may still return a value");
    }

    @Test
    void anExceptionInTheCellPropagates() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "int a = 1;\nthrow new IllegalStateException(\"boom \" + a);",
                List.of("a"), null);

        TestCellIO io = new TestCellIO(Map.of(), -1);
        try (URLClassLoader loader = CompiledCells.loader(cell, jars)) {
            CellProgram program = CompiledCells.program(cell, loader);
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> program.run(io));
            assertEquals("boom 1", thrown.getMessage());
        }
        assertEquals(Map.of(), io.outputs, "a failed cell returns nothing");
    }

    @Test
    void stackFramesMapBackToTheCellAndTheNotebookDeclarations() throws Throwable {
        NotebookSnapshot notebook = new NotebookSnapshot(List.of(),
                List.of(new Declaration(Kind.METHOD, "check", "int check(int v) {\n    if (v < 0) throw new IllegalArgumentException(\"negative\");\n    return v;\n}")),
                List.of());
        CompiledCell cell = compiler.compile(notebook, "int ok = check(1);\n\n// now a bad one\nint bad = check(-ok);", List.of(), null);

        try (URLClassLoader loader = CompiledCells.loader(cell, jars)) {
            CellProgram program = CompiledCells.program(cell, loader);
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> program.run(new TestCellIO(Map.of(), -1)));
            CellLines lines = CellLines.read(loader);
            List<String> described = new ArrayList<>();
            for (StackTraceElement frame : thrown.getStackTrace()) {
                String where = lines.describe(frame);
                if (where != null) {
                    described.add(where);
                }
            }
            assertEquals(List.of("check, line 2", "cell, line 4"), described);
        }
    }

    @Test
    void displayWorksInACompiledCell() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "display(\"shown by display\");\nSystem.out.flush();", List.of(), null);

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertSame(CellIO.NO_VALUE, run(cell, Map.of(), -1).value);
        } finally {
            System.setOut(original);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("shown by display"), captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void notebookRecordsAndMethodsRunWithShippedValues() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "var moved = scaled(points.get(1));\nmoved.plus(points.get(0))",
                List.of("moved"), null);

        try (URLClassLoader loader = CompiledCells.loader(cell, jars)) {
            Class<?> point = loader.loadClass("hpccell.Point");
            List<Object> points = List.of(point.getConstructor(int.class, int.class).newInstance(1, 1),
                    point.getConstructor(int.class, int.class).newInstance(2, 5));
            TestCellIO io = new TestCellIO(Map.of("factor", 3, "points", points), -1);
            Object value = CompiledCells.program(cell, loader).run(io);
            assertEquals("Point[x=7, y=16]", value.toString());
            assertEquals("Point[x=6, y=15]", io.outputs.get("moved").toString());
            assertEquals("java.util.List<hpccell.Point>", io.requestedTypes.get("points").getTypeName());
            assertEquals(Integer.class, io.requestedTypes.get("factor"));
        }
    }

    @Test
    void forBindsTheListElementAtTheTaskIndex() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "String upper = name.toUpperCase();\nupper + \"!\"", List.of("upper"),
                "name:names");

        assertTrue(cell.sources().get("Cell.java").contains("        String name = names.get(io.arrayIndex());\n"),
                cell.sources().get("Cell.java"));
        assertEquals(List.of(new Variable("names", "List<String>")), cell.inputs());
        Ran ran = run(cell, Map.of("names", List.of("a", "b", "c")), 1);
        assertEquals("B!", ran.value);
        assertEquals(Map.of("upper", "B"), ran.io.outputs);
    }

    @Test
    void forBindsTheArrayElementAtTheTaskIndex() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "s * 10", List.of(), "s : sizes");

        assertTrue(cell.sources().get("Cell.java").contains("        int s = sizes[io.arrayIndex()];\n"), cell.sources().get("Cell.java"));
        assertEquals(30, run(cell, Map.of("sizes", new int[] {1, 2, 3}), 2).value);

        CompiledCell namedIo = compiler.compile(NOTEBOOK, "7", List.of(), "io:sizes");
        assertEquals(7, run(namedIo, Map.of("sizes", new int[] {1, 2, 3}), 1).value, "--for io: is not the CellIO parameter");

        CompiledCell records = compiler.compile(NOTEBOOK, "p.x()", List.of(), "p:grid");
        assertTrue(records.sources().get("Cell.java").contains("        Point p = grid[io.arrayIndex()];\n"));
    }

    @Test
    void forOverSomethingElseThanANotebookListOrArrayIsRefused() {
        CellCompileException map = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "k", List.of(), "k:counts"));
        assertTrue(map.getMessage().contains("counts is a Map<String, Integer>, not a List or an array"), map.getMessage());

        CellCompileException missing = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "k", List.of(), "k:nothing"));
        assertTrue(missing.getMessage().contains("nothing is not a notebook variable"), missing.getMessage());

        CellCompileException malformed = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "k", List.of(), "names"));
        assertTrue(malformed.getMessage().contains("expected NAME:LIST"), malformed.getMessage());
    }

    @Test
    void aLocalThatShadowsANotebookVariableIsNotShipped() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "int factor = 2;\nfactor * 3", List.of(), null);

        assertEquals(List.of(), cell.inputs());
        assertFalse(cell.sources().get("Notebook.java").contains("factor"), cell.sources().get("Notebook.java"));
        assertEquals(6, run(cell, Map.of(), -1).value);
    }

    @Test
    void aLocalNamedLikeANotebookMethodDoesNotShipWhatThatMethodReads() throws Throwable {
        CompiledCell cell = compiler.compile(NOTEBOOK, "int unused = 5;\nunused + 1", List.of(), null);

        assertEquals(List.of(), cell.inputs(), "unused() reads secret, but the cell never calls unused()");
        assertFalse(cell.sources().get("Notebook.java").contains("unused"), cell.sources().get("Notebook.java"));
        assertEquals(6, run(cell, Map.of(), -1).value);
    }

    @Test
    void textBlocksMultiLineExpressionsAndMissingSemicolonsSurviveTheCopy() throws Throwable {
        CompiledCell block = compiler.compile(NOTEBOOK, "String s = \"\"\"\n    hello\n      world\n    \"\"\";\ns", List.of(), null);
        assertEquals("hello\n  world\n", run(block, Map.of(), -1).value);

        CompiledCell chained = compiler.compile(NOTEBOOK, "names.stream()\n      .map(String::toUpperCase)\n      .toList()",
                List.of(), null);
        assertEquals(List.of("A", "B"), run(chained, Map.of("names", List.of("a", "b")), -1).value);

        CompiledCell noSemicolon = compiler.compile(NOTEBOOK, "int y = 3\n", List.of("y"), null);
        Ran ran = run(noSemicolon, Map.of(), -1);
        assertSame(CellIO.NO_VALUE, ran.value);
        assertEquals(Map.of("y", 3), ran.io.outputs);
    }

    @Test
    void warmingUpCompilesATrivialCell() {
        new CellCompiler(List.of()).warmUp();
    }

    @Test
    void theSameCellGivesTheSameJarBytes() throws Throwable {
        String body = "var best = scaled(points.get(0));\nbest";
        CompiledCell first = compiler.compile(NOTEBOOK, body, List.of("best"), null);
        CompiledCell second = new CellCompiler(List.of()).compile(NOTEBOOK, body, List.of("best"), null);
        CompiledCell other = compiler.compile(NOTEBOOK, body + ".x()", List.of("best"), null);

        assertEquals(first.jarSha256(), second.jarSha256());
        assertArrayEquals(first.jar(), second.jar());
        assertNotEquals(first.jarSha256(), other.jarSha256());
        List<String> names = new ArrayList<>();
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(first.jar()))) {
            assertTrue(jar.getManifest() != null, "a manifest");
            for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                names.add(entry.getName());
                assertEquals(LocalDateTime.of(1980, 1, 1, 0, 0), entry.getTimeLocal(), entry.getName());
            }
        }
        assertEquals(names.stream().sorted().collect(Collectors.toList()), names);
        assertTrue(names.containsAll(List.of("hpccell/Cell.class", "hpccell/Cell$1.class", "hpccell/Notebook.class",
                "hpccell/Point.class")), names.toString());
    }

    @Test
    void generatedNamesDoNotClashWithTheNotebooks() throws Throwable {
        NotebookSnapshot notebook = new NotebookSnapshot(List.of(),
                List.of(new Declaration(Kind.TYPE, "Cell", "record Cell(int row) {}"),
                        new Declaration(Kind.TYPE, "Notebook", "class Notebook { String title = \"t\"; }")),
                List.of(new Variable("io", "int")));
        CompiledCell cell = compiler.compile(notebook, "new Cell(io).row() + new Notebook().title", List.of(), null);

        assertEquals("hpccell.Cell2", cell.mainClass());
        assertTrue(cell.sources().containsKey("Notebook2.java"), cell.sources().keySet().toString());
        assertEquals("7t", run(cell, Map.of("io", 7), -1).value);
    }

    @Test
    void whereCompiledCellsDifferFromJShellTheErrorSaysSo() {
        CellCompileException method = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int limit = 3;\nboolean small(int v) { return v < limit; }\nsmall(2)",
                        List.of(), null));
        assertEquals(2, method.problems().get(0).line());
        assertTrue(method.getMessage().contains("limit is a variable of this cell")
                && method.getMessage().contains("pass it as a parameter"), method.getMessage());

        CellCompileException value = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int c = 1;\nc;\nc + 1", List.of(), null));
        assertEquals(List.of(2L, 1L), List.of(value.problems().get(0).line(), value.problems().get(0).column()));
        assertTrue(value.getMessage().contains("only the cell's result on its last line"), value.getMessage());

        CellCompileException lambda = assertThrows(CellCompileException.class,
                () -> compiler.compile(NOTEBOOK, "int count = 0;\nnames.forEach(n -> count++);", List.of(), null));
        assertTrue(lambda.getMessage().contains("cell, line 2") && lambda.getMessage().contains("AtomicInteger"),
                lambda.getMessage());
    }

    @Test
    void aNotebookVariableWithATypeJavaCannotWriteIsRefusedByName() {
        NotebookSnapshot notebook = new NotebookSnapshot(List.of(), List.of(),
                List.of(new Variable("mixed", "List<java.io.Serializable&Comparable<?>>"), new Variable("fine", "int")));
        CellCompileException error = assertThrows(CellCompileException.class,
                () -> compiler.compile(notebook, "mixed.size() + fine", List.of(), null));

        assertEquals("notebook variable mixed", error.problems().get(0).where());
        assertTrue(error.getMessage().contains("declare mixed with an explicit type"), error.getMessage());
    }

    @Test
    void exportNamesTheClassesAndKeepsEveryDeclaration() throws Throwable {
        CompiledCell cell = compiler.compile(withoutBroken(), "scaled(points.get(0))", List.of(), null,
                new JavaNames("org.example.sweep", "Sweep", "Cell3"), true);

        assertEquals("org.example.sweep.Cell3", cell.mainClass());
        assertEquals(List.of("Point.java", "Color.java", "Sweep.java", "Cell3.java"), new ArrayList<>(cell.sources().keySet()));
        assertTrue(cell.sources().get("Sweep.java").contains("static int unused() { return secret; }"));
        assertTrue(cell.sources().get("Cell3.java").startsWith("package org.example.sweep;\n"));
        assertTrue(cell.sources().get("Cell3.java").contains("import static org.example.sweep.Sweep.*;"));
        assertEquals(List.of("factor", "points", "secret"), cell.inputs().stream().map(Variable::name).collect(Collectors.toList()),
                "unused() is kept, so the variable it reads is too");
    }

    @Test
    void theGeneratedSourcesCompileWithoutLintWarnings(@TempDir Path classes) throws Throwable {
        String body = "import java.util.concurrent.atomic.*;\nvar counter = new AtomicInteger();\n"
                + "int twice(int v) { return 2 * v; }\nrecord Pair(int a, int b) {}\n"
                + "var moved = scaled(p);\nList<Pair> pairs = new ArrayList<>();\npairs.add(new Pair(twice(moved.x()), counter.get()));\n"
                + "System.out.println(pairs)";
        CompiledCell cell = compiler.compile(withoutBroken(), body, List.of("moved"), "p:points",
                new JavaNames("org.example", "Example", "Step"), true);

        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        javax.tools.DiagnosticCollector<javax.tools.JavaFileObject> diagnostics = new javax.tools.DiagnosticCollector<>();
        List<javax.tools.JavaFileObject> files = new ArrayList<>();
        for (Map.Entry<String, String> source : cell.sources().entrySet()) {
            files.add(new javax.tools.SimpleJavaFileObject(java.net.URI.create("string:///org/example/" + source.getKey()),
                    javax.tools.JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source.getValue();
                }
            });
        }
        String engine = Path.of(CellProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        boolean ok = javac.getTask(null, null, diagnostics, List.of("--release", "17", "-Xlint:all", "-classpath", engine,
                "-d", classes.toString()), null, files).call();
        assertTrue(ok, diagnostics.getDiagnostics().toString());
        assertEquals(List.of(), diagnostics.getDiagnostics().stream().map(d -> d.getKind() + " " + d.getMessage(null))
                .collect(Collectors.toList()));
    }

    /** The notebook without its declaration that does not compile. */
    private static NotebookSnapshot withoutBroken() {
        return new NotebookSnapshot(NOTEBOOK.imports(), NOTEBOOK.declarations().stream()
                .filter(d -> !d.name().equals("broken")).collect(Collectors.toList()), NOTEBOOK.variables());
    }

    static void assertPlainJava(CompiledCell cell) {
        for (Map.Entry<String, String> source : cell.sources().entrySet()) {
            assertFalse(source.getValue().contains("$JShell") || source.getValue().contains("REPL."),
                    source.getKey() + " has JShell's names:\n" + source.getValue());
        }
    }

    private record Ran(Object value, TestCellIO io) {}

    private Ran run(CompiledCell cell, Map<String, Object> inputs, int index) throws Throwable {
        TestCellIO io = new TestCellIO(inputs, index);
        try (URLClassLoader loader = CompiledCells.loader(cell, jars)) {
            return new Ran(CompiledCells.program(cell, loader).run(io), io);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
