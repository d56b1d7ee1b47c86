package org.hpckernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.hpckernel.translate.NotebookSnapshot;
import org.hpckernel.translate.NotebookSnapshot.Declaration;
import org.hpckernel.translate.NotebookSnapshot.Kind;
import org.hpckernel.translate.NotebookSnapshot.Variable;
import org.junit.jupiter.api.Test;

class ExportPlannerTest {
    static NotebookDocument notebook(String... sources) throws ExportException {
        JsonArray cells = new JsonArray();
        for (String s : sources) {
            JsonObject c = new JsonObject();
            c.addProperty("cell_type", "code");
            c.addProperty("source", s.startsWith("@parameters\n") ? s.substring(12) : s);
            JsonObject meta = new JsonObject();
            if (s.startsWith("@parameters\n")) {
                JsonArray tags = new JsonArray();
                tags.add("parameters");
                meta.add("tags", tags);
            }
            c.add("metadata", meta);
            cells.add(c);
        }
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        return NotebookDocument.parse("test-notebook", nb);
    }

    static final NotebookSnapshot SNAPSHOT = new NotebookSnapshot(List.of(),
            List.of(new Declaration(Kind.TYPE, "Point", "record Point(double x, double y) {}"),
                    new Declaration(Kind.METHOD, "norm", "double norm(Point p) { return Math.hypot(p.x(), p.y()); }")),
            List.of(new Variable("count", "int"), new Variable("points", "List<Point>"), new Variable("total", "double"),
                    new Variable("unused", "int")));

    /** What the kernel ships: the shared translation decides which variables a cell reads. */
    static final ExportPlanner.Inputs INPUTS = (step, body, forEach, outs) ->
            new SharedTranslation(List.of()).inputs(ProjectGenerator.before(SNAPSHOT, outs), body, forEach, step.cell().number());

    @Test
    void everyCellBecomesAStepOrIsLeftOutWithItsReason() throws Exception {
        ExportPlan plan = ExportPlanner.plan(notebook(
                "@parameters\nint count = 3;",
                "record Point(double x, double y) {}\ndouble norm(Point p) { return Math.hypot(p.x(), p.y()); }",
                "List<Point> points = new ArrayList<>();\nfor (int i = 0; i < count; i++) points.add(new Point(i, i));",
                "int unused = 4;",
                "display(html(\"<b>x</b>\"));",
                "String who = readLine(\"name? \");",
                "%hpc jobs",
                "%%hpc --out total\ndouble total = 0;\nfor (Point p : points) total += norm(p);",
                "%%hpc --for p:points\nSystem.out.println(p);",
                "%%hpc\n#!/bin/bash\necho hi",
                "%%hpc\nSystem.out.println(total);"), SNAPSHOT, INPUTS);
        List<ExportStep> s = plan.steps();
        assertEquals(List.of("count"), assertInstanceOf(ExportStep.Setup.class, s.get(0)).outs());
        assertInstanceOf(ExportStep.Declarations.class, s.get(1));
        assertEquals(List.of("points"), assertInstanceOf(ExportStep.Setup.class, s.get(2)).outs());
        assertTrue(assertInstanceOf(ExportStep.LeftOut.class, s.get(3)).reason().contains("computes nothing"));
        assertTrue(assertInstanceOf(ExportStep.LeftOut.class, s.get(4)).reason().contains("display-only"));
        assertTrue(assertInstanceOf(ExportStep.LeftOut.class, s.get(5)).reason().contains("interactive"));
        assertTrue(assertInstanceOf(ExportStep.LeftOut.class, s.get(6)).reason().contains("%hpc"));
        assertEquals(List.of("total"), assertInstanceOf(ExportStep.JavaJob.class, s.get(7)).outs());
        assertEquals("p:points", assertInstanceOf(ExportStep.JavaJob.class, s.get(8)).forEach());
        assertInstanceOf(ExportStep.ShellJob.class, s.get(9));
        assertEquals(Map.of("total", "cell08"), plan.producers().get(s.get(10)));
        assertEquals(Map.of("points", "cell03"), plan.producers().get(s.get(8)));
        assertEquals(Map.of("count", "cell01"), plan.producers().get(s.get(2)));
        assertEquals(Map.of("count", "int"), plan.parameters());
        assertEquals(4, plan.leftOut().size());
    }

    @Test
    void jarsAndMavenLinesGoToTheProject() throws Exception {
        ExportPlan plan = ExportPlanner.plan(notebook("%jars lib/a.jar\n%maven org.example:thing:1.2 --repository=https://repo.example.org/m2"),
                SNAPSHOT, INPUTS);
        assertEquals(List.of("lib/a.jar"), plan.jars());
        assertEquals(List.of("org.example:thing:1.2"), plan.mavenCoordinates());
        assertEquals(List.of("https://repo.example.org/m2"), plan.mavenRepositories());
        assertTrue(plan.leftOut().isEmpty());
    }

    @Test
    void aVariableNoEarlierCellComputesIsNamed() {
        ExportException e = assertThrows(ExportException.class,
                () -> ExportPlanner.plan(notebook("%%hpc\nSystem.out.println(total);"), SNAPSHOT, INPUTS));
        assertTrue(e.getMessage().contains("uses the variable total"), e.getMessage());
    }

    @Test
    void aSetupCellThatAlsoDisplaysIsRefusedWithTheFix() {
        ExportException e = assertThrows(ExportException.class, () -> ExportPlanner.plan(notebook(
                "int count = 2;\ndisplay(count);", "%%hpc\nSystem.out.println(count);"), SNAPSHOT, INPUTS));
        assertTrue(e.getMessage().contains("move the display(...) calls"), e.getMessage());
    }
}
