package org.hpckernel.export;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.eval.CellResult;
import org.hpckernel.eval.JavaEvaluator;
import org.hpckernel.hpc.config.ClusterConfig;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.config.ConfigException;
import org.hpckernel.magic.MagicParser;
import org.hpckernel.magic.ParsedCell;
import org.hpckernel.hpc.OutputCollector;
import org.hpckernel.translate.CellCompileException;
import org.hpckernel.translate.CellCompiler;
import org.hpckernel.translate.CompiledCell;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * Exports a notebook as a Maven project and a batch pipeline: from a running session ({@code %hpc
 * export}) or headless ({@code java -jar hpc-kernel.jar export}), where a fresh session evaluates the
 * notebook's plain cells to learn its declarations and the types of its variables.
 */
public final class NotebookExport {
    static final String USAGE = "export NOTEBOOK.ipynb DIR [--cluster NAME] [--force]";

    private NotebookExport() {}

    /** The outcome, as the user reads it. */
    public record Result(Path dir, GeneratedProject project, String cluster, List<String> warnings) {
        public String summary() {
            StringBuilder s = new StringBuilder("exported to " + dir + " for cluster " + cluster + ": build with `mvn -q package`,"
                    + " run with `scripts/submit.sh` (see README.md)\n");
            for (String w : warnings) s.append("warning: ").append(w).append('\n');
            for (ExportStep.LeftOut l : project.leftOut()) {
                s.append("left out cell ").append(l.cell().number()).append(": ").append(l.reason()).append('\n');
            }
            return s.toString();
        }
    }

    /** {@code %hpc export}: the session that ran the notebook gives the snapshot. */
    public static Result fromSession(JavaEvaluator evaluator, Path notebook, Path dir, String cluster, boolean force)
            throws ExportException {
        NotebookDocument document = NotebookDocument.read(notebook);
        return write(document, snapshotOf(evaluator), cluster, dir, force, Path.of("").toAbsolutePath());
    }

    /** Headless: a fresh session evaluates the notebook's plain cells (interactive ones excepted). */
    public static Result headless(Path notebook, Path dir, String cluster, boolean force) throws ExportException {
        NotebookDocument document = NotebookDocument.read(notebook);
        Path base = notebook.toAbsolutePath().getParent();
        HeadlessSnapshot snapshot = headlessSnapshot(document, base);
        Result result = write(document, snapshot.snapshot(), cluster, dir, force, base);
        return new Result(result.dir(), result.project(), result.cluster(), snapshot.warnings());
    }

    /** The session a kernel would have after running the notebook, without its jobs' values. */
    record HeadlessSnapshot(NotebookSnapshot snapshot, List<String> warnings) {}

    static HeadlessSnapshot headlessSnapshot(NotebookDocument document, Path base) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (JavaEvaluator evaluator = new JavaEvaluator(List.of())) {
            evaluator.start();
            // The cells' own output is not the export's: it goes nowhere while they run.
            System.setOut(quiet);
            System.setErr(quiet);
            List<String> failed = new ArrayList<>();
            for (NotebookDocument.Cell cell : document.cells()) {
                ParsedCell parsed = MagicParser.parse(cell.source());
                if (parsed.hasCellMagic()) {
                    declareOutputs(evaluator, parsed.cellMagic(), cell, failed);
                    continue;
                }
                for (ParsedCell.Call magic : parsed.lineMagics()) {
                    if (magic.name().equals("jars") || magic.name().equals("classpath")) {
                        for (String jar : magic.arguments().split("\\s+")) {
                            if (!jar.isBlank()) evaluator.addToClasspath(base.resolve(jar).toString());
                        }
                    } else if (magic.name().equals("maven")) {
                        for (String jar : LocalMaven.jars(List.of(magic.arguments().split("\\s+")))) evaluator.addToClasspath(jar);
                    }
                }
                if (parsed.java().isBlank() || ExportPlanner.isInteractive(parsed.java())) continue;
                CellResult result = evaluator.eval(parsed.java());
                if (result.isError()) failed.add("cell " + cell.number() + ": " + result.error().ename() + ": " + result.error().evalue());
            }
            List<String> warnings = failed.stream().map(f -> f + " (failed in a fresh session; export from the kernel that ran the"
                    + " notebook, with %hpc export DIR, if this cell matters)").toList();
            return new HeadlessSnapshot(snapshotOf(evaluator), warnings);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * A %%hpc cell's --out variables as the kernel binds them when the job completes, with the
     * types its compiled cell declares (a List of them for arrays), so that later cells compile
     * the same way; their values are the pipeline's to compute.
     */
    private static void declareOutputs(JavaEvaluator evaluator, ParsedCell.Call magic, NotebookDocument.Cell cell,
            List<String> failed) {
        if (!magic.name().equals("hpc")) return;
        try {
            ExportStep step = ExportPlanner.classifyJob(cell, magic);
            if (!(step instanceof ExportStep.JavaJob job) || job.outs().isEmpty()) return;
            boolean array = job.forEach() != null || job.options().contains("--array");
            CompiledCell compiled = new CellCompiler(evaluator.classpath()).compile(evaluator.snapshot(), job.body(), job.outs(),
                    job.forEach());
            for (NotebookSnapshot.Variable out : compiled.outputs()) {
                String type = array ? "List<" + OutputCollector.boxed(out.type()) + ">" : out.type();
                evaluator.bind(out.name(), type, PLACEHOLDERS.getOrDefault(type, "null"));
            }
        } catch (ExportException | CellCompileException | IllegalArgumentException e) {
            failed.add("cell " + cell.number() + ": " + e.getMessage());
        }
    }

    /** Values that stand for a job's result in the headless session: they only give the variable its type. */
    private static final java.util.Map<String, String> PLACEHOLDERS = java.util.Map.of("boolean", "false", "char", "\"x\"",
            "byte", "0", "short", "0", "int", "0", "long", "0", "float", "0", "double", "0");

    private static NotebookSnapshot snapshotOf(JavaEvaluator evaluator) {
        return evaluator.snapshot();
    }

    private static Result write(NotebookDocument document, NotebookSnapshot snapshot, String cluster, Path dir, boolean force,
            Path jarBase) throws ExportException {
        ClusterProfile profile = profile(cluster);
        GeneratedProject project = ProjectGenerator.standard().generate(document, snapshot, profile, jarBase);
        project.write(dir, force);
        return new Result(dir, project, profile.name(), List.of());
    }

    private static ClusterProfile profile(String cluster) throws ExportException {
        try {
            ClusterConfig config = ClusterConfig.loadDefault();
            return cluster == null ? config.defaultProfile() : config.get(cluster);
        } catch (ConfigException e) {
            throw new ExportException(e.getMessage());
        }
    }

    /** The {@code export} command; returns the exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        String cluster = null;
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--cluster") && i + 1 < args.size()) cluster = args.get(++i);
            else if (a.equals("--force")) force = true;
            else if (a.startsWith("-")) {
                err.println("export: unknown option " + a + "\nusage: " + USAGE);
                return 2;
            } else positional.add(a);
        }
        if (positional.size() != 2) {
            err.println("export needs the notebook and the directory to write\nusage: " + USAGE);
            return 2;
        }
        try {
            Result result = headless(Path.of(positional.get(0)), Path.of(positional.get(1)), cluster, force);
            out.print(result.summary());
            return 0;
        } catch (ExportException e) {
            err.println("export: " + e.getMessage());
            return 1;
        }
    }
}
