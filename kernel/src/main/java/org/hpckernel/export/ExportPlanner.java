package org.hpckernel.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hpckernel.export.NotebookDocument.Cell;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.magic.MagicArgs;
import org.hpckernel.magic.MagicException;
import org.hpckernel.magic.MagicParser;
import org.hpckernel.magic.ParsedCell;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * Decides what each code cell becomes. Cells are read the way the kernel reads them (the same
 * magic parser); declarations come from the session snapshot, so a plain cell keeps only the
 * statements that compute values later cells use. Every cell that cannot be production code is
 * named with the reason, never dropped silently.
 */
public final class ExportPlanner {
    static boolean isInteractive(String java) {
        return INTERACTIVE.matcher(java).find();
    }

    private static final Pattern INTERACTIVE = Pattern.compile("\\breadLine\\s*\\(|System\\.in\\b|\\bConsole\\b");
    private static final Pattern DISPLAY = Pattern.compile("(?<![\\w.])display\\s*\\(");

    private ExportPlanner() {}

    /** The notebook variables a cell reads (what the kernel would ship to its job). */
    @FunctionalInterface
    public interface Inputs {
        Set<String> of(ExportStep step, String body, String forEach, List<String> outs) throws ExportException;
    }

    public static ExportPlan plan(NotebookDocument notebook, NotebookSnapshot snapshot, Inputs inputs) throws ExportException {
        Set<String> variables = new LinkedHashSet<>();
        for (NotebookSnapshot.Variable v : snapshot.variables()) variables.add(v.name());
        List<String> jars = new ArrayList<>();
        List<String> maven = new ArrayList<>();
        List<String> repositories = new ArrayList<>();
        List<ExportStep> draft = new ArrayList<>();
        for (Cell cell : notebook.cells()) draft.add(classify(cell, snapshot, jars, maven, repositories));

        // Backwards: a plain cell is kept when a later kept step reads a variable it declares.
        Set<String> needed = new HashSet<>();
        List<ExportStep> steps = new ArrayList<>(draft);
        for (int i = steps.size() - 1; i >= 0; i--) {
            ExportStep step = steps.get(i);
            if (step instanceof ExportStep.Setup setup) {
                List<String> outs = declared(setup.body(), variables).stream().filter(needed::contains).toList();
                if (outs.isEmpty()) {
                    String why = DISPLAY.matcher(setup.body()).find()
                            ? "display-only: it shows output and declares nothing a later %%hpc cell uses"
                            : "computes nothing a later %%hpc cell uses (a notebook-only inspection)";
                    steps.set(i, new ExportStep.LeftOut(step.cell(), why));
                    continue;
                }
                if (DISPLAY.matcher(setup.body()).find()) {
                    throw new ExportException("cell " + step.cell().number() + " computes " + String.join(", ", outs)
                            + " for later cells but also calls display(...), which a batch pipeline cannot show:"
                            + " move the display(...) calls into a cell of their own and export again");
                }
                steps.set(i, new ExportStep.Setup(step.cell(), setup.body(), outs));
                needed.removeAll(outs);
                needed.addAll(used(inputs, step, setup.body(), null, outs));
            } else if (step instanceof ExportStep.JavaJob job) {
                needed.removeAll(job.outs());
                needed.addAll(used(inputs, step, job.body(), job.forEach(), job.outs()));
            }
        }
        Map<ExportStep, Map<String, String>> producers = new LinkedHashMap<>();
        Map<String, String> producer = new HashMap<>();
        Map<String, String> parameters = new LinkedHashMap<>();
        ExportStep parametersStep = null;
        for (ExportStep step : steps) {
            if (step instanceof ExportStep.Setup setup) {
                producers.put(step, sources(used(inputs, step, setup.body(), null, setup.outs()), producer, step));
                for (String out : setup.outs()) producer.put(out, step.dirName());
                if (step.cell().isParameters()) {
                    parametersStep = step;
                    for (String out : setup.outs()) parameters.put(out, typeOf(snapshot, out));
                }
            } else if (step instanceof ExportStep.JavaJob job) {
                producers.put(step, sources(used(inputs, step, job.body(), job.forEach(), job.outs()), producer, step));
                for (String out : job.outs()) producer.put(out, step.dirName());
            }
        }
        return new ExportPlan(notebook.name(), steps, producers, jars, maven, repositories, parameters, parametersStep);
    }

    private static String typeOf(NotebookSnapshot snapshot, String name) {
        return snapshot.variables().stream().filter(v -> v.name().equals(name)).map(NotebookSnapshot.Variable::type)
                .reduce((a, b) -> b).orElse("Object");
    }

    private static Map<String, String> sources(Set<String> reads, Map<String, String> producer, ExportStep step)
            throws ExportException {
        Map<String, String> from = new LinkedHashMap<>();
        for (String name : reads) {
            String dir = producer.get(name);
            if (dir == null) {
                throw new ExportException("cell " + step.cell().number() + " uses the variable " + name
                        + ", but no earlier cell of the notebook computes it (it was made in a cell since deleted,"
                        + " or in a cell left out of the export): declare it in an earlier cell and export again");
            }
            from.put(name, dir);
        }
        return from;
    }

    private static ExportStep classify(Cell cell, NotebookSnapshot snapshot, List<String> jars, List<String> maven,
            List<String> repositories) throws ExportException {
        ParsedCell parsed = MagicParser.parse(cell.source());
        if (parsed.hasCellMagic()) {
            ParsedCell.Call magic = parsed.cellMagic();
            if (!magic.name().equals("hpc")) {
                return new ExportStep.LeftOut(cell, "cell magic %%" + magic.name() + " has no batch equivalent");
            }
            return classifyJob(cell, magic);
        }
        List<String> leftOutMagics = new ArrayList<>();
        for (ParsedCell.Call line : parsed.lineMagics()) {
            List<String> args = words(cell, line.arguments());
            switch (line.name()) {
                case "jars", "classpath" -> jars.addAll(args);
                case "maven" -> {
                    for (String a : args) {
                        if (a.startsWith("--repository=")) repositories.add(a.substring("--repository=".length()));
                        else maven.add(a);
                    }
                }
                default -> leftOutMagics.add("%" + line.name());
            }
        }
        String java = parsed.java();
        if (java.isBlank()) {
            if (leftOutMagics.isEmpty()) return new ExportStep.Declarations(cell);
            return new ExportStep.LeftOut(cell, String.join(", ", leftOutMagics)
                    + ": line magics manage the notebook session and its jobs; submit.sh does that in the pipeline");
        }
        if (INTERACTIVE.matcher(java).find()) {
            return new ExportStep.LeftOut(cell, "reads interactive input (readLine / System.in), which a batch job cannot answer");
        }
        String rest = withoutDeclarations(java, snapshot);
        if (rest.isBlank()) return new ExportStep.Declarations(cell);
        return new ExportStep.Setup(cell, rest, List.of());
    }

    /** A %%hpc cell: a Java job, a script job, or left out (a script with values in or out). */
    static ExportStep classifyJob(Cell cell, ParsedCell.Call magic) throws ExportException {
        List<String> args = words(cell, magic.arguments());
        CellPayload payload = CellPayload.of(magic.body());
        if (payload.shebang()) {
            if (args.contains("--in") || args.contains("--out")) {
                return new ExportStep.LeftOut(cell, "a shebang cell with --in/--out: the export does not carry"
                        + " values into or out of scripts yet; run it from the notebook");
            }
            return new ExportStep.ShellJob(cell, args, payload.body());
        }
        return javaJob(cell, args, payload.body());
    }

    private static ExportStep javaJob(Cell cell, List<String> args, String body) throws ExportException {
        List<String> options = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        String forEach = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--out") || a.equals("--for")) && i + 1 >= args.size()) {
                throw new ExportException("cell " + cell.number() + ": " + a + " needs a value");
            }
            if (a.equals("--out")) {
                for (String name : args.get(++i).split(",")) outs.add(name.strip());
            } else if (a.equals("--for")) {
                forEach = args.get(++i);
                if (!forEach.matches("[A-Za-z_]\\w*:[A-Za-z_]\\w*")) {
                    throw new ExportException("cell " + cell.number() + ": --for " + forEach + " is not NAME:LIST");
                }
            } else {
                options.add(a);
            }
        }
        return new ExportStep.JavaJob(cell, options, body, outs, forEach);
    }

    private static List<String> words(Cell cell, String arguments) throws ExportException {
        try {
            return MagicArgs.split(arguments);
        } catch (MagicException e) {
            throw new ExportException("cell " + cell.number() + ": " + e.getMessage());
        }
    }

    /** The cell without the declarations (and imports) the project keeps in its own sources. */
    static String withoutDeclarations(String java, NotebookSnapshot snapshot) {
        String rest = java;
        for (NotebookSnapshot.Declaration d : snapshot.declarations()) rest = remove(rest, d.source());
        for (String imp : snapshot.imports()) rest = remove(rest, imp);
        rest = rest.replaceAll("(?m)^\\s*import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$", "");
        return rest.strip().isEmpty() ? "" : rest;
    }

    private static String remove(String text, String source) {
        String s = source.strip();
        if (s.endsWith(";")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty()) return text;
        int at = text.indexOf(s);
        if (at < 0) return text;
        int end = at + s.length();
        if (end < text.length() && text.charAt(end) == ';') end++;
        return text.substring(0, at) + text.substring(end);
    }

    /** Notebook variables the text declares ({@code int n =}, {@code var xs =}, {@code List<P> ps;}). */
    static List<String> declared(String text, Set<String> variables) {
        List<String> names = new ArrayList<>();
        for (String v : variables) {
            if (Pattern.compile("[\\w>\\]]\\s+" + Pattern.quote(v) + "\\s*[=;]").matcher(text).find()) names.add(v);
        }
        return names;
    }

    /** Notebook variables the cell reads and does not itself declare. */
    private static Set<String> used(Inputs inputs, ExportStep step, String body, String forEach, List<String> ownOuts)
            throws ExportException {
        Set<String> used = new LinkedHashSet<>(inputs.of(step, body, forEach, ownOuts));
        used.removeAll(ownOuts);
        return used;
    }
}
