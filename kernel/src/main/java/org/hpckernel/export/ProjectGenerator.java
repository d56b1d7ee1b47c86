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
import java.util.function.Function;
import java.util.regex.Pattern;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * Builds the exported project from the notebook's cells and its session snapshot. A pure function
 * of (notebook, snapshot, cluster profile): the in-kernel export and the headless one differ only
 * in where the snapshot comes from.
 */
public final class ProjectGenerator {
    private static final Pattern FIELD = Pattern.compile("^    static [^(=]+ \\w+;$");

    private final Function<List<String>, SourceTranslation> translations;

    ProjectGenerator(Function<List<String>, SourceTranslation> translations) {
        this.translations = translations;
    }

    public static ProjectGenerator standard() {
        return new ProjectGenerator(SharedTranslation::new);
    }

    /**
     * @param jarBase the directory %jars paths are relative to (the kernel's working directory, or
     *     the notebook's directory for a headless export)
     */
    public GeneratedProject generate(NotebookDocument notebook, NotebookSnapshot snapshot, ClusterProfile cluster, Path jarBase)
            throws ExportException {
        ExportPlan firstLook = ExportPlanner.plan(notebook, snapshot, (step, body, forEach, outs) -> Set.of());
        Map<String, Path> copies = libJars(firstLook.jars(), jarBase);
        List<String> classpath = new ArrayList<>(copies.values().stream().map(p -> p.toAbsolutePath().toString()).toList());
        classpath.addAll(LocalMaven.jars(firstLook.mavenCoordinates()));
        SourceTranslation translation = translations.apply(classpath);
        ExportPlan plan = ExportPlanner.plan(notebook, snapshot,
                (step, body, forEach, outs) -> translation.inputs(before(snapshot, outs), body, forEach, step.cell().number()));
        ProjectNames names = ProjectNames.of(notebook.name(), snapshot);
        String pkg = names.packageName();
        String srcDir = "src/main/java/" + pkg.replace('.', '/') + "/";
        String jar = "target/" + names.artifactId() + ".jar";
        TreeMap<String, String> sources = new TreeMap<>(translation.notebook(snapshot, pkg, names.notebookClass()));
        Set<String> fields = new LinkedHashSet<>();

        List<SubmitScript.Item> items = new ArrayList<>();
        Set<String> executables = new LinkedHashSet<>(Set.of("scripts/submit.sh"));
        TreeMap<String, String> files = new TreeMap<>();
        for (ExportStep step : plan.steps()) {
            Map<String, String> inputs = plan.producers().getOrDefault(step, Map.of());
            String mainClass = pkg + "." + step.className();
            if (step instanceof ExportStep.Setup setup) {
                cellSources(sources, fields, translation, snapshot, pkg, names, step, setup.body(), setup.outs(), null, inputs,
                        step == plan.parametersStep() ? plan.parameters() : null, notebook.name());
                items.add(new SubmitScript.SetupItem(setup, mainClass));
            } else if (step instanceof ExportStep.JavaJob job) {
                cellSources(sources, fields, translation, snapshot, pkg, names, step, job.body(), job.outs(), job.forEach(), inputs,
                        null, notebook.name());
                JobScripts.Job rendered = JobScripts.render(step, job.options(), cluster, jar, mainClass);
                addJob(files, executables, rendered);
                items.add(new SubmitScript.JobItem(rendered, job.forEach() == null ? null : inputs.get(job.forList())));
            } else if (step instanceof ExportStep.ShellJob shell) {
                JobScripts.Job rendered = JobScripts.render(step, shell.options(), cluster, jar, mainClass);
                addJob(files, executables, rendered);
                items.add(new SubmitScript.JobItem(rendered, null));
            }
        }
        String notebookFile = names.notebookClass() + ".java";
        sources.put(notebookFile, withFields(sources.get(notebookFile), fields));
        ImportPruner pruner = new ImportPruner(loader(classpath), pkg + "." + names.notebookClass(), members(snapshot));
        boolean display = false;
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String text = pruner.prune(e.getValue());
            display |= text.contains("org.hpckernel.display.");
            files.put(srcDir + e.getKey(), text);
        }
        files.putAll(RuntimeSources.sources(pkg, display));
        files.put("scripts/submit.sh", SubmitScript.render(notebook.name(), cluster.name(), JobScripts.scheduler(cluster), jar,
                pkg + "." + RuntimeSources.RUNNER_CLASS, items, plan.parameters()));
        files.put("pom.xml", PomFile.render(pkg, names.artifactId(), plan.mavenCoordinates(), plan.mavenRepositories(),
                copies.keySet().stream().map(k -> k.substring("lib/".length())).toList()));
        files.put("README.md", ProjectReadme.render(notebook.name(), names.artifactId(), cluster, plan));
        files.put(".gitignore", "target/\nresults/\nresults.*/\n");
        return new GeneratedProject(files, copies, executables, plan.leftOut());
    }

    /**
     * The notebook as the cell finds it in the pipeline: without the variables it declares itself
     * (its outputs), which it computes rather than reads.
     */
    static NotebookSnapshot before(NotebookSnapshot snapshot, List<String> outs) {
        if (outs.isEmpty()) return snapshot;
        return new NotebookSnapshot(snapshot.imports(), snapshot.declarations(),
                snapshot.variables().stream().filter(v -> !outs.contains(v.name())).toList());
    }

    private static Set<String> members(NotebookSnapshot snapshot) {
        Set<String> members = new LinkedHashSet<>();
        for (NotebookSnapshot.Declaration d : snapshot.declarations()) {
            if (d.kind() == NotebookSnapshot.Kind.METHOD) members.add(d.name());
        }
        for (NotebookSnapshot.Variable v : snapshot.variables()) members.add(v.name());
        return members;
    }

    private static ClassLoader loader(List<String> classpath) throws ExportException {
        List<URL> urls = new ArrayList<>();
        for (String path : classpath) {
            try {
                urls.add(Path.of(path).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new ExportException("%jars " + path + ": " + e.getMessage());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ProjectGenerator.class.getClassLoader());
    }

    /**
     * The notebook class with, as fields, every notebook variable some cell uses: each cell's
     * translation declares only its own, and the project has one class for all cells.
     */
    static String withFields(String notebookSource, Set<String> fields) {
        notebookSource = notebookSource.replace("and its variables the cell uses", "and its variables the cells use");
        if (fields.isEmpty()) return notebookSource;
        List<String> lines = new ArrayList<>(notebookSource.lines().toList());
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("public final class ")) {
                at = i + 1;
                break;
            }
        }
        List<String> block = new ArrayList<>(fields);
        block.add("");
        lines.addAll(at, block);
        return String.join("\n", lines) + "\n";
    }

    private static void addJob(Map<String, String> files, Set<String> executables, JobScripts.Job job) {
        String dir = job.step().dirName();
        files.put("scripts/" + dir + ".sh", job.script());
        files.put("scripts/" + dir + ".payload", job.payload());
        executables.add("scripts/" + dir + ".sh");
        executables.add("scripts/" + dir + ".payload");
    }

    private static void cellSources(Map<String, String> sources, Set<String> fields, SourceTranslation translation,
            NotebookSnapshot snapshot, String pkg, ProjectNames names, ExportStep step, String body, List<String> outs, String forEach,
            Map<String, String> inputs, Map<String, String> parameters, String notebook) throws ExportException {
        Map<String, String> translated = translation.cell(before(snapshot, outs), pkg, names.notebookClass(), step.className(), body, outs, forEach,
                step.cell().number());
        String file = step.className() + ".java";
        if (!translated.containsKey(file)) {
            throw new IllegalStateException("the translation of cell " + step.cell().number() + " has no " + file + ": " + translated.keySet());
        }
        String notebookFile = translated.get(names.notebookClass() + ".java");
        if (notebookFile != null) {
            notebookFile.lines().filter(l -> FIELD.matcher(l).matches()).forEach(fields::add);
        }
        String cell = translated.get(file).replaceFirst("(?m)^public final class ",
                "/** Cell " + step.cell().number() + " of the notebook " + notebook.replace("*/", "* /") + ".ipynb. */\npublic final class ");
        sources.put(file, withMain(cell, step, inputs, parameters));
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
