package org.hpckernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.hpckernel.hpc.config.ClusterProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project generated from tests/notebooks/export-pipeline.ipynb (records, methods, a parameters
 * cell, --out, --for, an array, a script cell), with the snapshot a fresh session gives: its sources
 * compile with -Xlint:all without a warning and read as hand-written Java.
 */
class ProjectGeneratorTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path NOTEBOOK = REPO.resolve("tests/notebooks/export-pipeline.ipynb");
    static final ClusterProfile SLURM = new ClusterProfile("slurm", "slurm", "/scratch/me", "java", List.of(), Map.of(), null,
            ClusterProfile.Monitoring.defaults());

    static GeneratedProject project;

    @BeforeAll
    static void generate() throws Exception {
        NotebookDocument document = NotebookDocument.read(NOTEBOOK);
        NotebookExport.HeadlessSnapshot snapshot = NotebookExport.headlessSnapshot(document, NOTEBOOK.getParent());
        assertEquals(List.of(), snapshot.warnings());
        project = ProjectGenerator.standard().generate(document, snapshot.snapshot(), SLURM, NOTEBOOK.getParent());
    }

    @Test
    void generatedSourcesCompileWithEveryLintWarningOnAndGiveNone(@TempDir Path dir) throws Exception {
        project.write(dir, false);
        List<File> sources;
        try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-Xlint:all", "--release", "17", "-proc:none", "-d", dir.resolve("classes").toString(),
                    "-cp", gsonJar());
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
            List<String> generated = new ArrayList<>();
            List<String> runtime = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.NOTE) continue;
                String line = d.getKind() + " " + d.getSource() + ":" + d.getLineNumber() + " " + d.getMessage(null);
                if (line.contains("/src/main/java/exportpipeline/")) generated.add(line);
                else if (!line.contains("[serial]") && !line.contains("serialVersionUID") && !line.contains(".jar:")) runtime.add(line);
            }
            assertTrue(ok, "javac failed: " + generated + runtime);
            // The notebook's classes and the cell runner: not one warning of any kind.
            assertEquals(List.of(), generated);
            // The runtime API's own sources, as the kernel builds them (-serial; -classfile is about the Gson jar).
            assertEquals(List.of(), runtime);
        }
    }

    @Test
    void sourcesReadAsHandWrittenJava() {
        Set<String> javaFiles = new TreeSet<>();
        for (Map.Entry<String, String> f : project.files().entrySet()) {
            if (!f.getKey().startsWith("src/main/java/exportpipeline/")) continue;
            javaFiles.add(f.getKey().substring("src/main/java/exportpipeline/".length()));
            for (String wrapper : List.of("$JShell", "REPL.", "hpccell", "jdk.jshell", "$1", "ValueHandoff")) {
                assertFalse(f.getValue().contains(wrapper), f.getKey() + " contains " + wrapper + ":\n" + f.getValue());
            }
        }
        // Each notebook type in its own file, the methods in one class named after the notebook, a class per kept cell.
        assertEquals(new TreeSet<>(List.of("Cell02.java", "Cell04.java", "Cell06.java", "Cell07.java", "Cell08.java", "Cell10.java",
                "CellRunner.java", "ExportPipeline.java", "Point.java")), javaFiles);
        String notebook = project.files().get("src/main/java/exportpipeline/ExportPipeline.java");
        assertTrue(notebook.contains("static double norm(Point p)") && notebook.contains("/** Distance from the origin. */"), notebook);
        String cell = project.files().get("src/main/java/exportpipeline/Cell06.java");
        assertTrue(cell.contains("// sum of the norms, on the cluster"), "the user's comment is kept:\n" + cell);
        assertTrue(cell.contains("/** Cell 6 of the notebook export-pipeline.ipynb. */"), cell);
        assertTrue(cell.contains("public static void main(String[] args)"), cell);
        // The notebook imports java.util.stream.Collectors and JShell's defaults; files keep only what they use.
        String setup = project.files().get("src/main/java/exportpipeline/Cell04.java");
        assertFalse(setup.contains("Collectors") || setup.contains("java.io") || setup.contains("java.util.concurrent"), setup);
        assertTrue(setup.contains("import java.util.*;"), setup);
        assertEquals("package exportpipeline;\n\npublic record Point(double x, double y) {}\n",
                project.files().get("src/main/java/exportpipeline/Point.java"));
    }

    @Test
    void cellsLeftOutAreNamedWithTheReason() {
        List<String> left = project.leftOut().stream().map(l -> l.cell().number() + " " + l.reason()).toList();
        assertEquals(2, left.size(), left.toString());
        assertTrue(left.get(0).startsWith("5 computes nothing"), left.toString());
        assertTrue(left.get(1).startsWith("11 %hpc"), left.toString());
        String readme = project.files().get("README.md");
        assertTrue(readme.contains("- cell 5: computes nothing") && readme.contains("- cell 11: %hpc"), readme);
        assertTrue(readme.contains("scripts/submit.sh -p count VALUE"), readme);
    }

    @Test
    void scriptsAreShellThatBashAccepts(@TempDir Path dir) throws Exception {
        project.write(dir, false);
        List<Path> scripts;
        try (Stream<Path> files = Files.list(dir.resolve("scripts"))) {
            scripts = files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
        }
        assertEquals(6, scripts.size(), scripts.toString()); // five jobs and submit.sh
        for (Path script : scripts) {
            Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), script + ": " + said);
            assertTrue(Files.isExecutable(script), script.toString());
        }
        String submit = Files.readString(dir.resolve("scripts/submit.sh"));
        assertTrue(submit.contains("--dependency=afterok:$previous"), submit);
        assertTrue(submit.contains("parameters=(count label)"), submit);
    }

    @Test
    void aNonEmptyDirectoryIsRefusedUnlessForced(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        ExportException e = assertThrows(ExportException.class, () -> project.write(dir, false));
        assertTrue(e.getMessage().contains("is not empty") && e.getMessage().contains("--force"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("pom.xml")));
        project.write(dir, true);
        assertTrue(Files.exists(dir.resolve("pom.xml")));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void theRuntimeListsEveryFileOfTheValueAndDisplayApi() throws IOException {
        for (String pkg : List.of("values", "display")) {
            Set<String> onDisk = new TreeSet<>();
            try (Stream<Path> files = Files.list(REPO.resolve("engine/src/main/java/org/hpckernel/" + pkg))) {
                files.forEach(f -> onDisk.add(f.getFileName().toString()));
            }
            assertEquals(onDisk, new TreeSet<>(pkg.equals("values") ? RuntimeSources.VALUES : RuntimeSources.DISPLAY), pkg);
        }
    }

    private static String gsonJar() throws URISyntaxException {
        return Path.of(Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
