package org.hpckernel.export;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * Builds the exported project from the notebook's cells and its session snapshot. A pure function
 * of (notebook, snapshot, cluster profile): the in-kernel export and the headless one differ only
 * in where the snapshot comes from.
 */
public final class ProjectGenerator {
    private final SourceTranslation translation;

    ProjectGenerator(SourceTranslation translation) {
        this.translation = translation;
    }

    public static ProjectGenerator standard() {
        return new ProjectGenerator(new SharedTranslation());
    }

    /**
     * @param jarBase the directory %jars paths are relative to (the kernel's working directory, or
     *     the notebook's directory for a headless export)
     */
    public GeneratedProject generate(NotebookDocument notebook, NotebookSnapshot snapshot, ClusterProfile cluster, Path jarBase)
            throws ExportException {
        ExportPlan plan = ExportPlanner.plan(notebook, snapshot);
        ProjectNames names = ProjectNames.of(notebook.name(), snapshot);
        String pkg = names.packageName();
        String srcDir = "src/main/java/" + pkg.replace('.', '/') + "/";
        String jar = "target/" + names.artifactId() + ".jar";
        TreeMap<String, String> files = new TreeMap<>();
        for (Map.Entry<String, String> e : translation.notebook(snapshot, pkg, names.notebookClass()).entrySet()) {
            files.put(srcDir + e.getKey(), e.getValue());
        }
        files.putAll(RuntimeSources.sources(pkg));

        List<SubmitScript.Item> items = new ArrayList<>();
        Set<String> executables = new LinkedHashSet<>(Set.of("scripts/submit.sh"));
        for (ExportStep step : plan.steps()) {
            Map<String, String> inputs = plan.producers().getOrDefault(step, Map.of());
            String mainClass = pkg + "." + step.className();
            if (step instanceof ExportStep.Setup setup) {
                cellSources(files, srcDir, snapshot, pkg, names, step, setup.body(), setup.outs(), null, inputs,
                        step == plan.parametersStep() ? plan.parameters() : null);
                items.add(new SubmitScript.SetupItem(setup, mainClass));
            } else if (step instanceof ExportStep.JavaJob job) {
                cellSources(files, srcDir, snapshot, pkg, names, step, job.body(), job.outs(), job.forEach(), inputs, null);
                JobScripts.Job rendered = JobScripts.render(step, job.options(), cluster, jar, mainClass);
                addJob(files, executables, rendered);
                items.add(new SubmitScript.JobItem(rendered, job.forEach() == null ? null : inputs.get(job.forList())));
            } else if (step instanceof ExportStep.ShellJob shell) {
                JobScripts.Job rendered = JobScripts.render(step, shell.options(), cluster, jar, mainClass);
                addJob(files, executables, rendered);
                items.add(new SubmitScript.JobItem(rendered, null));
            }
        }
        files.put("scripts/submit.sh", SubmitScript.render(notebook.name(), cluster.name(), JobScripts.scheduler(cluster), jar,
                pkg + "." + RuntimeSources.RUNNER_CLASS, items, plan.parameters()));
        Map<String, Path> copies = libJars(plan.jars(), jarBase);
        files.put("pom.xml", PomFile.render(pkg, names.artifactId(), plan.mavenCoordinates(), plan.mavenRepositories(),
                copies.keySet().stream().map(k -> k.substring("lib/".length())).toList()));
        files.put("README.md", ProjectReadme.render(notebook.name(), names.artifactId(), cluster, plan));
        files.put(".gitignore", "target/\nresults/\nresults.*/\n");
        return new GeneratedProject(files, copies, executables, plan.leftOut());
    }

    private static void addJob(Map<String, String> files, Set<String> executables, JobScripts.Job job) {
        String dir = job.step().dirName();
        files.put("scripts/" + dir + ".sh", job.script());
        files.put("scripts/" + dir + ".payload", job.payload());
        executables.add("scripts/" + dir + ".sh");
        executables.add("scripts/" + dir + ".payload");
    }

    private void cellSources(Map<String, String> files, String srcDir, NotebookSnapshot snapshot, String pkg, ProjectNames names,
            ExportStep step, String body, List<String> outs, String forEach, Map<String, String> inputs,
            Map<String, String> parameters) throws ExportException {
        Map<String, String> sources = translation.cell(snapshot, pkg, names.notebookClass(), step.className(), body, outs, forEach);
        String file = step.className() + ".java";
        if (!sources.containsKey(file)) {
            throw new IllegalStateException("the translation of cell " + step.cell().number() + " has no " + file + ": " + sources.keySet());
        }
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String text = e.getKey().equals(file) ? withMain(e.getValue(), step, inputs, parameters) : e.getValue();
            files.put(srcDir + e.getKey(), text);
        }
    }

    /** The cell class with a main that runs it as a pipeline step. */
    static String withMain(String source, ExportStep step, Map<String, String> inputs, Map<String, String> parameters) {
        int end = source.lastIndexOf('}');
        List<String> args = new ArrayList<>();
        args.add("new " + step.className() + "()");
        args.add('"' + step.dirName() + '"');
        args.add("args");
        String call;
        if (parameters != null) {
            parameters.forEach((name, type) -> args.add('"' + name + ":" + type + '"'));
            call = RuntimeSources.RUNNER_CLASS + ".runParameters(";
        } else {
            inputs.forEach((name, cell) -> args.add('"' + name + ":" + cell + '"'));
            call = RuntimeSources.RUNNER_CLASS + ".run(";
        }
        String main = """

                    /** Runs cell %d as a pipeline step: reads the values it uses from results/, writes its own there. */
                    public static void main(String[] args) {
                        %s%s);
                    }
                """.formatted(step.cell().number(), call, String.join(", ", args));
        String head = source.substring(0, end).stripTrailing();
        return head + "\n" + main + "}\n";
    }

    private static Map<String, Path> libJars(List<String> jars, Path base) throws ExportException {
        Map<String, Path> copies = new LinkedHashMap<>();
        for (String arg : jars) {
            Path given = Path.of(arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg);
            if (!given.isAbsolute()) given = base.resolve(given);
            String file = given.getFileName().toString();
            List<Path> found = new ArrayList<>();
            if (file.contains("*") || file.contains("?")) {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(given.getParent(), file)) {
                    stream.forEach(found::add);
                } catch (IOException e) {
                    throw new ExportException("%jars " + arg + ": " + e.getMessage());
                }
                found.sort(null);
            } else {
                found.add(given);
            }
            for (Path p : found) {
                if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
                    throw new ExportException("%jars " + arg + ": " + p + " is not a jar file; only jars can be copied into lib/"
                            + " (package a class directory as a jar first)");
                }
                copies.put("lib/" + p.getFileName(), p);
            }
        }
        return copies;
    }
}
