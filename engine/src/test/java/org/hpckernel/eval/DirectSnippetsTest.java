package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cells compiled outside JShell ({@link DirectSnippets}) give what JShell gives: the same
 * notebook runs in a session that takes that path and in one that leaves every cell to JShell,
 * and every cell's value, output, error and traceback must match, while the first session shows
 * it did take the path.
 */
class DirectSnippetsTest {
    private static OutputCapture capture;
    private static JavaEvaluator direct;
    private static JavaEvaluator jshell;

    private static int number;

    @BeforeAll
    static void start() throws InterruptedException {
        capture = OutputCapture.install();
        direct = new JavaEvaluator(List.of(EvaluatorFixture.testClasses()), true);
        jshell = new JavaEvaluator(List.of(EvaluatorFixture.testClasses()), false);
        direct.start();
        jshell.start();
        assertTrue(direct.awaitWarmUp(60_000), "the direct path's compiler never warmed up");
    }

    @AfterAll
    static void close() {
        direct.close();
        jshell.close();
    }

    /** What a cell showed, in a form that compares across the two sessions' class loaders. */
    private record Seen(boolean hasValue, String valueClass, String value, String ename, String evalue,
            List<String> traceback, String printed) {
    }

    /** Runs {@code cell} as cell number {@code count}, so tracebacks name the same cells in both sessions. */
    private Seen run(JavaEvaluator evaluator, String cell, int count) {
        RecordingOutput output = new RecordingOutput();
        capture.setTarget(output);
        CellResult result;
        try {
            result = evaluator.eval(cell, count);
        } finally {
            capture.setTarget(null);
        }
        String printed = output.events().stream().filter(e -> e.kind().equals("stream"))
                .map(RecordingOutput.Event::text).collect(Collectors.joining());
        Object value = result.value();
        CellError error = result.error();
        return new Seen(result.hasValue(), value == null ? null : SnippetNames.clean(value.getClass().getName()),
                String.valueOf(value),
                error == null ? null : error.ename(), error == null ? null : error.evalue(),
                error == null ? null : error.traceback(), printed);
    }

    /** Runs the cells in both sessions; each must show the same; returns how many ran directly. */
    private int same(String... cells) {
        int before = direct.directCells();
        for (String cell : cells) {
            int count = ++number;
            Seen viaJShell = run(jshell, cell, count);
            Seen viaDirect = run(direct, cell, count);
            assertEquals(viaJShell, viaDirect, cell);
        }
        assertEquals(0, jshell.directCells());
        return direct.directCells() - before;
    }

    @Test
    void valuesOfExpressionsOverTheSessionsDeclarations() {
        assertEquals(0, same("int base = 40;", "int plus(int x) { return x + base; }",
                "record Point(int x, int y) { int sum() { return x + y; } }",
                "String twice(String s) { return s + s; }", "int twice(int i) { return 2 * i; }",
                "<T> List<T> pair(T a, T b) { return List.of(a, b); }",
                "import static java.lang.Math.abs;"));
        int ran = same("1 + 1", "plus(2)", "(char) ('a' + 1)", "List.of(1, 2) // a comment", "base", "base++", "base",
                "new Point(3, 4)", "new Point(3, 4).sum()", "twice(\"ab\")", "twice(21)", "pair(\"a\", \"b\")",
                "Math.max(3, 4)", "abs(-5)", "null", "\"text with base and plus(1) inside\"",
                "Collectors.joining(\",\") != null",
                "List.of(1, 2, 3).stream().map(i -> i * base).collect(Collectors.toList())",
                "new Object() { public String toString() { return \"anonymous \" + base; } }",
                "base > 0\n    ? \"multi\"\n    : \"line\"");
        assertEquals(20, ran);
    }

    @Test
    void statementsAndExpressionsWithASemicolon() {
        same("int q = 1;", "int f(int a) { return a; }", "List<String> names = new ArrayList<>();");
        int ran = same("q++;", "f(2);", "q;", "1 + 1;", "System.out.println(q);", "System.out.println(q)", "q = 10",
                "q += 1;", "q", "for (int i = 0; i < 3; i++) { System.out.print(i); }",
                "if (q > 5) { System.out.println(\"big\"); } else { System.out.println(\"small\"); }",
                "{ int local = q * 2; System.out.println(local); }",
                "try { Integer.parseInt(\"x\"); } catch (NumberFormatException e) { System.out.println(\"caught \" + e.getMessage()); }",
                "switch (q) { case 11: System.out.println(\"eleven\"); break; default: System.out.println(\"other\"); }",
                "outer: for (int i = 0; i < 3; i++) { for (int j = 0; j < 3; j++) { if (j == 1) continue outer; System.out.print(i + \"\" + j); } }",
                "do { q--; } while (q > 5);", "q", "names.add(\"x\");", "synchronized (names) { names.add(\"y\"); }", "names",
                "assert q > 0;", "System.out.println(\"a\");\nint made = 3;\nmade * 2", "made",
                "throw new IllegalStateException(\"thrown at top\");", "return;", "q = q\n    / 0;");
        assertEquals(26, ran);
        assertTrue(direct.variableNames().contains("made"), direct.variableNames().toString());
    }

    @Test
    void aLongMixedSessionAsTheBenchmarkRunsIt() {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int base = i - i % 5;
            cells.add(switch (i % 5) {
                case 0 -> "int mv" + i + " = " + i + ";";
                case 1 -> "int mm" + i + "(int x) { return x + " + i + "; }";
                case 2 -> "mv" + base + " + mm" + (base + 1) + "(1)";
                case 3 -> "String ms" + i + " = \"s\" + " + i + ";";
                default -> "System.out.println(\"cell \" + " + i + ");";
            });
        }
        assertEquals(40, same(cells.toArray(String[]::new)), "the values and the prints run directly");
    }

    @Test
    void theShapeOfStatementsAndTheNamesTheyMention() {
        for (String statement : List.of("x = 5;", "foo.bar(1);", "for (;;) {}", "{ }", "label: while (true) {}",
                "List.<String>of().size();", "a[0] = 1;", "new Thread(r).start();", "map.get(k).add(v);")) {
            assertTrue(StatementShape.isStatement(statement), statement);
        }
        for (String declaration : List.of("int x = 5;", "Foo x;", "List<String> xs = null;", "Map<K, List<V>> m;",
                "Foo[] fs;", "a.b.C c = null;", "void f() {}", "Foo f() { return null; }", "class A {}", "record R() {}",
                "@Deprecated int g() { return 1; }", "return;", "break;", "var v = 1;", "final int k = 1;", "")) {
            assertFalse(StatementShape.isStatement(declaration), declaration);
        }
        assertEquals(java.util.Set.of("a", "b", "length", "c"),
                MentionedNames.of("a + b.length() /* d */ + \"e \\\" f\" + 'g' + c // h\n + 1e5 + 0x1F"));
    }

    @Test
    void outputPrintedWhileTheValueIsComputed() {
        same("int say(String s) { System.out.println(s); return s.length(); }");
        assertEquals(1, same("say(\"hello\")"));
    }

    @Test
    void redefinitionsAreSeenAtOnce() {
        assertEquals(4, same("int v = 1;", "v", "String v = \"now a string\";", "v.length()",
                "record Shape(int a) {}", "new Shape(1).a()", "record Shape(int a, int b) {}", "new Shape(1, 2)"));
        // A variable whose type is redefined under it is not usable until declared again (JShell's
        // error, as the direct path leaves it to JShell); declared again, the direct path sees it.
        assertEquals(2, same("record Box(int a) {}", "Box box = new Box(1);", "box", "record Box(int a, int b) {}",
                "box", "Box box = new Box(2, 3);", "box.b()"));
    }

    @Test
    void whatTheDirectPathDoesNotTakeFallsBackToJShell() {
        same("int calls = 0;", "void bump() { calls++; }", "var anon = new Object() { int f = 7; };");
        int ran = same("bump()", "calls", "anon.f", "notDeclaredAnywhere(1)", "() -> 1", "calls = 5", "calls",
                "\\u0031 + 1");
        assertEquals(4, ran, "the void call, the assignment and `calls` twice run directly");
    }

    @Test
    void exceptionsAndTheirTracebacksPointAtCells() {
        same("int zero = 0;", "int divide(int a) {\n    return a / zero;\n}",
                "int wrap(int a) {\n    try {\n        return divide(a);\n    } catch (ArithmeticException e) {\n"
                        + "        throw new IllegalStateException(\"wrapped\", e);\n    }\n}");
        int ran = same("int local = 1;\n\n10 / zero", "divide(4)", "wrap(4)",
                "List.of(1).stream().map(i -> divide(i)).findFirst().get()",
                "new Object() { int f() { return divide(1); } }.f()");
        assertEquals(5, ran);
        Seen wrapped = run(direct, "wrap(4)", ++number);
        assertEquals("java.lang.IllegalStateException", wrapped.ename());
        assertTrue(wrapped.traceback().contains("\tat divide (cell [2], line 2)")
                || wrapped.traceback().stream().anyMatch(l -> l.startsWith("\tat divide (") && l.endsWith(", line 2)")),
                wrapped.traceback().toString());
        assertTrue(wrapped.traceback().stream().anyMatch(l -> l.startsWith("Caused by: java.lang.ArithmeticException")),
                wrapped.traceback().toString());
    }

    @Test
    void aMethodThatCannotRunYetSaysWhatIsMissing() {
        same("int later() { return notYetDeclared() + 1; }");
        assertEquals(1, same("later()"));
        Seen unresolved = run(direct, "later()", ++number);
        assertEquals(CellError.UNRESOLVED_REFERENCE, unresolved.ename());
        assertTrue(unresolved.evalue().contains("notYetDeclared"), unresolved.evalue());
    }

    @Test
    void aValueCellRunningDirectlyStopsOnInterrupt() throws Exception {
        assertNull(direct.eval("long spinForever() {\n    org.hpckernel.eval.CellHooks.started.countDown();\n"
                + "    long k = 0;\n    while (true) { k++; }\n}").error());
        int before = direct.directCells();
        ExecutorService kernelThread = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = CellHooks.reset();
            Future<CellResult> running = kernelThread.submit(() -> direct.eval("spinForever()"));
            assertTrue(started.await(20, TimeUnit.SECONDS), "cell never started");
            direct.interrupt();
            CellResult result = running.get(20, TimeUnit.SECONDS);
            assertNotNull(result.error());
            assertEquals(CellError.INTERRUPTED, result.error().ename());
        } finally {
            kernelThread.shutdownNow();
        }
        assertEquals(before + 1, direct.directCells());
        assertEquals(2, direct.eval("1 + 1").value());
    }

    @Test
    void jarsAddedLaterAreSeen(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/later")).resolve("Greeter.java");
        Files.writeString(source, "package later;\npublic class Greeter { public String hello() { return \"hello\"; } }\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                source.toString()));
        assertEquals(0, same("new later.Greeter().hello()"), "not on the class path yet: both fail alike");
        direct.addToClasspath(classes.toString());
        jshell.addToClasspath(classes.toString());
        assertEquals(2, same("new later.Greeter().hello()", "later.Greeter.class.getSimpleName()"));
        List<String> names = new ArrayList<>(direct.variableNames());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("$")), names.toString());
    }
}
