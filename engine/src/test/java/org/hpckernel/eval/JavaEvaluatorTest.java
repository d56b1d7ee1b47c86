package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.display.MimeRenderer;
import org.junit.jupiter.api.Test;

/** Values, errors and tracebacks of cells run by one shared session. */
class JavaEvaluatorTest extends SharedSession {
    private CellResult ok(String code) {
        CellResult result = evaluator.eval(code);
        assertNull(result.error(), () -> "unexpected error: " + result.error());
        return result;
    }

    @Test
    void anIntExpressionGivesTheRealObject() {
        CellResult result = ok("1 + 1");
        assertTrue(result.hasValue());
        assertEquals(2, result.value());
    }

    @Test
    void aStringValueIsTheStringItselfNotJShellsQuotedForm() {
        CellResult result = ok("\"a\" + \"b\"");
        assertEquals("ab", result.value());
        assertEquals("ab", MimeRenderer.render(result.value()).data().get("text/plain"));
    }

    @Test
    void aNullValueIsAValue() {
        CellResult result = ok("(String) null");
        assertTrue(result.hasValue());
        assertNull(result.value());
    }

    @Test
    void anImageValueRendersAsPng() {
        CellResult result = ok("new java.awt.image.BufferedImage(64, 32, java.awt.image.BufferedImage.TYPE_INT_ARGB)");
        BufferedImage image = assertInstanceOf(BufferedImage.class, result.value());
        assertEquals(64, image.getWidth());
        MimeBundle bundle = MimeRenderer.render(result.value());
        assertTrue(bundle.data().containsKey("image/png"));
        assertEquals("BufferedImage 64x32", bundle.data().get("text/plain"));
    }

    @Test
    void aRecordDeclaredInTheCellIsTheValue() {
        CellResult result = ok("record Point(int x, int y) {}\nnew Point(3, 4)");
        assertEquals("Point[x=3, y=4]", result.value().toString());
        assertTrue(result.value().getClass().isRecord());
    }

    @Test
    void aBareVariableNameGivesItsValue() {
        ok("List<Integer> numbers = new ArrayList<>(List.of(1, 2));");
        CellResult result = ok("numbers");
        assertTrue(result.hasValue());
        assertEquals(List.of(1, 2), result.value());
    }

    @Test
    void declarationsAndStatementsHaveNoValue() {
        assertFalse(ok("int unused = 5;").hasValue());
        assertFalse(ok("void nothing() {}").hasValue());
        assertFalse(ok("System.out.print(\"\")").hasValue());
        assertFalse(ok("int a1 = 1;\nint a2 = 2;").hasValue());
    }

    @Test
    void multiSnippetCellsRunInOrderAndTheLastExpressionIsTheValue() {
        CellResult result = ok("int p = 2; int q = 3;\nSystem.out.println(\"p*q\");\n\n  p * q");
        assertEquals(6, result.value());
        capture.flush();
        assertEquals("p*q\n", output.text("stdout"));
    }

    @Test
    void declarationsCarryOverToLaterCells() {
        ok("int triple(int x) {\n    return 3 * x;\n}");
        ok("class Counter { int n; int next() { return ++n; } }");
        ok("Counter counter = new Counter();");
        assertEquals(9, ok("triple(3)").value());
        ok("counter.next();");
        assertEquals(2, ok("counter.next()").value());
    }

    @Test
    void temporaryValuesAreDropped() {
        ok("40 + 2");
        assertFalse(evaluator.variableNames().stream().anyMatch(n -> n.startsWith("$")));
    }

    @Test
    void aCompileErrorNamesTheCellLineAndPutsACaretUnderTheColumn() {
        CellResult result = evaluator.eval("int fine = 1;\nint broken = fine +\n        undefinedThing;\nSystem.out.println(\"never\");");
        CellError error = result.error();
        assertNotNull(error);
        assertEquals("CompilationError", error.ename());
        assertTrue(error.evalue().contains("cannot find symbol"), error.evalue());
        assertTrue(error.evalue().contains("undefinedThing"), error.evalue());
        List<String> tb = error.traceback();
        assertTrue(tb.get(0).contains("cell line 3, column 9"), tb.toString());
        int sourceLine = tb.indexOf("            undefinedThing;");
        assertTrue(sourceLine > 0, tb.toString());
        assertEquals("            ^", tb.get(sourceLine + 1));
        assertFalse(String.join("\n", tb).contains("$JShell$"));
        // It stopped at the error, after running what came before.
        capture.flush();
        assertEquals("", output.text("stdout"));
        assertEquals(1, ok("fine").value());
    }

    @Test
    void compileErrorsInALaterSnippetCountLinesInTheWholeCell() {
        CellError error = evaluator.eval("int ok1 = 1;\n\nString s = 42;").error();
        assertNotNull(error);
        assertTrue(error.traceback().get(0).startsWith("Error in cell line 3, column 12"), error.traceback().toString());
        assertTrue(error.traceback().contains("    String s = 42;"));
    }

    @Test
    void aRuntimeErrorShowsCellLinesAndCauses() {
        CellError error = evaluator.eval("int r1 = 1;\nint r2 = 2;\nthrow new IllegalStateException(\"boom\", new ArithmeticException(\"root\"));").error();
        assertNotNull(error);
        assertEquals("java.lang.IllegalStateException", error.ename());
        assertEquals("boom", error.evalue());
        List<String> tb = error.traceback();
        assertEquals("java.lang.IllegalStateException: boom", tb.get(0));
        assertEquals("\tat do_it$ (cell line 3)", tb.get(1));
        assertTrue(tb.contains("Caused by: java.lang.ArithmeticException: root"), tb.toString());
        assertFalse(tb.stream().anyMatch(l -> l.contains("jdk.jshell") || l.contains("reflect")), tb.toString());
    }

    @Test
    void aFrameInAMethodFromAnEarlierCellNamesThatCell() {
        assertNull(evaluator.eval("int divide(int a, int b) {\n    int unusedLocal = 0;\n    return a / b;\n}", 42).error());
        CellError error = evaluator.eval("int zero = 0;\ndivide(1, zero)", 43).error();
        assertNotNull(error);
        assertEquals("java.lang.ArithmeticException", error.ename());
        List<String> tb = error.traceback();
        assertEquals("\tat divide (cell [42], line 3)", tb.get(1));
        assertEquals("\tat do_it$ (cell line 2)", tb.get(2));
    }

    @Test
    void userExceptionClassesAreNamedWithoutJShellWrappers() {
        CellError error = evaluator.eval("class BadInput extends RuntimeException { BadInput(String m) { super(m); } }\nthrow new BadInput(\"nope\");").error();
        assertNotNull(error);
        assertEquals("BadInput", error.ename());
        assertEquals("BadInput: nope", error.traceback().get(0));
    }

    @Test
    void anErrorCellProducesOnlyTheError() {
        evaluator.eval("throw new RuntimeException(\"quiet\");");
        evaluator.eval("int ;");
        capture.flush();
        assertEquals(List.of(), output.events());
    }

    @Test
    void usingADeclarationWithMissingPartsSaysWhatIsMissing() {
        CellResult declared = ok("double area() { return shapeSide() * shapeSide(); }");
        assertFalse(declared.hasValue());
        capture.flush();
        assertTrue(output.text("stderr").contains("created method area()")
                && output.text("stderr").contains("until method shapeSide() is declared"), output.text("stderr"));
        CellError error = evaluator.eval("area()").error();
        assertNotNull(error);
        assertEquals("UnresolvedReferenceException", error.ename());
        assertTrue(error.evalue().contains("area()") && error.evalue().contains("shapeSide()"), error.evalue());
        ok("double shapeSide() { return 2; }");
        assertEquals(4.0, ok("area()").value());
    }

    @Test
    void cellsCanUseTheDisplayApiAndOrderIsKept() {
        ok("System.out.println(\"before\");\nString id = display(html(\"<b>hi</b>\"));\nSystem.out.println(\"after\");\nupdateDisplay(id, \"changed\");");
        capture.flush();
        List<RecordingOutput.Event> events = output.events();
        assertEquals(List.of("stream", "display", "stream", "display"), events.stream().map(RecordingOutput.Event::kind).toList());
        assertEquals("before\n", events.get(0).text());
        assertEquals("<b>hi</b>", events.get(1).bundle().data().get("text/html"));
        assertEquals(events.get(1).displayId(), events.get(3).displayId());
        assertTrue(events.get(3).flag());
    }

    @Test
    void outputFromThreadsACellStartsReachesTheCell() {
        ok("Thread worker = new Thread(() -> System.out.println(\"from \" + Thread.currentThread().getName()), \"worker-1\");\n"
                + "worker.start();\nworker.join();");
        capture.flush();
        assertEquals("from worker-1\n", output.text("stdout"));
    }

    @Test
    void readLineFromACellUsesTheFrontend() {
        output.setInput((prompt, password) -> prompt + "answer");
        assertEquals("Q: answer", ok("readLine(\"Q: \")").value());
        assertEquals("answer", ok("new Scanner(System.in).nextLine()").value());
    }

    @Test
    void readLineWithoutStdinExplainsWhatToDo() {
        CellError error = evaluator.eval("String name = readLine(\"Name: \");").error();
        assertNotNull(error);
        assertEquals("java.lang.IllegalStateException", error.ename());
        assertTrue(error.evalue().contains("does not allow input"), error.evalue());
        assertTrue(error.evalue().contains("papermill"), error.evalue());
    }

    @Test
    void completionFindsMembersAndOffsetsIntoTheCell() {
        Completion completion = evaluator.complete("Math.ma", 7);
        assertTrue(completion.matches().contains("max("), completion.toString());
        assertEquals(5, completion.cursorStart());
        assertEquals(7, completion.cursorEnd());
        assertEquals(completion.matches().size(), completion.matches().stream().distinct().count());

        String cell = "int first = 1;\nString text = \"x\";\n\"abc\".toUpp";
        Completion second = evaluator.complete(cell, cell.length());
        assertEquals(List.of("toUpperCase("), second.matches());
        assertEquals(cell.length() - 5, second.cursorStart());
    }

    @Test
    void completionPutsMatchingTypesFirst() {
        Completion completion = evaluator.complete("int m = Math.ab", 15);
        assertFalse(completion.matches().isEmpty());
        assertEquals("abs(", completion.matches().get(0));
    }

    @Test
    void completionKnowsTheCellsEarlierDeclarationsBeforeTheyRun() {
        String sameLine = "String greetingText = \"abc\"; greetingText.toUpp";
        Completion c = evaluator.complete(sameLine, sameLine.length());
        assertEquals(List.of("toUpperCase("), c.matches(), c.toString());
        assertEquals("toUpperCase(…) – 2 overloads", c.items().get(0).signature(), c.toString());
        assertEquals(sameLine.length() - "toUpp".length(), c.cursorStart());

        String above = "var pointList = new java.util.ArrayList<String>();\npointList.ensureCap";
        assertEquals(List.of("ensureCapacity("), evaluator.complete(above, above.length()).matches());

        String method = "int twiceOf(int x) { return 2 * x; }\nrecord Pair(String left, int right) {}\n"
                + "Pair pairOf = new Pair(\"a\", twi";
        assertTrue(evaluator.complete(method, method.length()).matches().contains("twiceOf("));
        String member = method.replace("twi", "1);\n") + "pairOf.lef";
        assertTrue(evaluator.complete(member, member.length()).matches().contains("left()"));

        // A method being written sees the cell's variables, as JShell's session variables.
        String inMethod = "String labelText = \"x\";\nint width() { return labelText.leng";
        assertEquals(List.of("length()"), evaluator.complete(inMethod, inMethod.length()).matches());
    }

    @Test
    void completionItemsCarryTheirKind() {
        String code = "java.util.Li";
        Completion c = evaluator.complete(code, code.length());
        CompletionItem list = c.items().stream().filter(i -> i.text().equals("List")).findFirst().orElseThrow();
        assertEquals("class", list.kind());
        Completion max = evaluator.complete("Math.ma", 7);
        CompletionItem m = max.items().stream().filter(i -> i.text().equals("max(")).findFirst().orElseThrow();
        assertEquals("method", m.kind());
        assertEquals("max(…) – 4 overloads", m.signature());
        assertEquals("field", evaluator.complete("Math.P", 6).items().get(0).kind());

        String cell = "\u00e9 = 1; Math.ma";
        java.util.Map<String, Object> meta = evaluator.complete(cell, cell.length()).replyMetadata(cell);
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> types = (List<java.util.Map<String, Object>>) meta.get("_jupyter_types_experimental");
        assertEquals("method", types.get(0).get("type"));
        assertEquals(cell.codePointCount(0, cell.length()) - 2, types.get(0).get("start"));
    }

    @Test
    void inspectionShowsSignaturesForJdkAndUserMethods() {
        Inspection max = evaluator.inspect("Math.max", 8, 0);
        assertTrue(max.found());
        assertTrue(max.text().contains("int Math.max(int a, int b)"), max.text());
        Inspection middle = evaluator.inspect("Math.max(1, 2)", 6, 0);
        assertTrue(middle.text().contains("Math.max("), middle.text());

        ok("int cube(int x) { return x * x * x; }");
        Inspection cube = evaluator.inspect("cube", 4, 0);
        assertTrue(cube.found());
        assertTrue(cube.text().contains("int cube(int x)"), cube.text());
        Inspection withSource = evaluator.inspect("cube", 2, 1);
        assertTrue(withSource.text().contains("return x * x * x;"), withSource.text());

        assertFalse(evaluator.inspect("   ", 1, 0).found());
    }

    @Test
    void inspectionIncludesReadableJavadocWhereTheJdkShipsSources() {
        Path sources = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        // In CI setup installs the JDK's sources (HPC_INSTALL_JDK_SOURCE defaults to yes there).
        org.junit.jupiter.api.Assertions.assertFalse("true".equals(System.getenv("CI")) && !Files.isReadable(sources),
                "this JDK has no lib/src.zip: scripts/setup.sh installs openjdk-17-source under CI=true");
        assumeTrue(Files.isReadable(sources), "this JDK has no lib/src.zip");
        Inspection max = evaluator.inspect("Math.max", 8, 0);
        assertTrue(max.text().contains("Returns the greater of two int values"), max.text());
        assertFalse(max.text().contains("{@code"), max.text());
    }

    @Test
    void isCompleteFollowsJShell() {
        assertEquals(new IsComplete("complete", ""), evaluator.isComplete("1 + 1"));
        assertEquals(new IsComplete("complete", ""), evaluator.isComplete("int x = 5"));
        assertEquals(new IsComplete("complete", ""), evaluator.isComplete("int a = 1;\nint b = 2;"));
        assertEquals(new IsComplete("incomplete", "    "), evaluator.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(new IsComplete("incomplete", "        "), evaluator.isComplete("class A {\n    void f() {"));
        assertEquals(new IsComplete("incomplete", ""), evaluator.isComplete("1 +"));
        assertEquals("incomplete", evaluator.isComplete("int a = 1;\nString s = \"}\" + foo(").status());
        assertEquals("invalid", evaluator.isComplete("}").status());
        assertEquals("invalid", evaluator.isComplete(")").status());
    }

    @Test
    void tenMegabytesFromACellAreCapturedComplete() throws InterruptedException {
        ok("String hundred = \"z\".repeat(99);");
        long start = System.nanoTime();
        ok("for (int i = 0; i < 100_000; i++) System.out.println(hundred);");
        capture.flush();
        long millis = (System.nanoTime() - start) / 1_000_000;
        capture.originalErr().println("JavaEvaluatorTest: 10 MB println cell took " + millis + " ms");
        assertEquals(10_000_000, output.text("stdout").length());
        assertTrue(output.await(o -> true, Duration.ZERO));
    }
}
