package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Turns the notebook's declarations and one %%hpc cell into plain Java classes and compiles them
 * in the kernel with javac, so a typo fails the cell at once and the node runs exactly these classes.
 *
 * <p>What a cell becomes: each notebook type it reaches is a top-level type in its own file; the
 * notebook methods it reaches are static methods of one class, beside static fields for the notebook
 * variables those and the cell use; the cell is a {@link org.hpckernel.values.CellProgram} whose
 * {@code run} reads those variables from the job's inputs, binds {@code --for}, runs the body and
 * writes the {@code --out} values. Imports are hoisted and methods and types declared in the cell
 * are static members of its class; its variables are local variables of {@code run}, which is where
 * it differs from JShell (a cell's method cannot see the cell's variables; a lambda cannot reassign
 * them), and the errors say so.
 *
 * <p>Compiles may run on several threads; compiles with the same class path take turns, and reuse one
 * javac file manager.
 */
public final class CellCompiler {
    /** The package of the generated classes; a name a notebook is unlikely to use. */
    static final String PACKAGE = org.hpckernel.values.NotebookClassNames.COMPILED_PACKAGE;
    private static final int MAX_PASSES = 4;
    private static final Set<String> LIKELY_VOID = Set.of("println", "print", "forEach", "forEachOrdered", "accept", "run",
            "sleep", "close", "flush", "clear", "clearOutput", "updateDisplay", "shutdown", "interrupt", "putAll", "sort",
            "shuffle", "fill", "start");

    private final List<String> classpath;

    /** @param classpath the session's class path (%jars, %maven); the engine itself is always added */
    public CellCompiler(List<String> classpath) {
        this.classpath = List.copyOf(classpath);
    }

    /**
     * @param body the cell body (without the %%hpc line), dedented
     * @param outs the {@code --out} names, each declared in the body
     * @param forEach {@code NAME:LIST} of {@code --for}, or null: {@code NAME} is bound on the node to
     *     element {@code arrayIndex()} of the notebook's {@code LIST} (a List or an array)
     */
    public CompiledCell compile(NotebookSnapshot notebook, String body, List<String> outs, String forEach)
            throws CellCompileException {
        return compile(notebook, body, outs, forEach, names(notebook, body), false);
    }

    /**
     * Like {@link #compile(NotebookSnapshot, String, List, String)}, with the classes named by the
     * caller (export names them after the notebook) and, with {@code allDeclarations}, every
     * notebook type and method translated, not only those the cell reaches.
     */
    public CompiledCell compile(NotebookSnapshot notebook, String body, List<String> outs, String forEach, JavaNames names,
            boolean allDeclarations) throws CellCompileException {
        List<String> outNames = checkOutNames(outs);
        ForEachBinding binding = ForEachBinding.parse(forEach, notebook);
        InMemoryJavac javac = InMemoryJavac.forClasspath(classpath);
        synchronized (javac) {
            CellTranslator translator = new CellTranslator(javac.compiler(), javac.fileManager());
            PreparedCell prepared = translator.prepare(notebook, body, outNames, binding, names, allDeclarations);
            checkVariableTypes(prepared);
            String invoked = prepared.finalChunk >= 0 ? prepared.chunkSyntax(prepared.finalChunk).invoked() : null;
            CellTranslator.Plan plan = new CellTranslator.Plan(prepared.candidateFields, prepared.includedDeclarations,
                    likelyVoid(invoked), true);
            for (int pass = 1; ; pass++) {
                CellTranslator.Rendered rendered = translator.render(prepared, plan);
                Map<String, String> sources = new LinkedHashMap<>();
                rendered.files().forEach((name, file) -> sources.put(name, file.text()));
                InMemoryJavac.Run run = javac.analyze(names.packageName(), sources);
                List<Diagnostic<? extends JavaFileObject>> errors = run.analyze();
                if (!errors.isEmpty()) {
                    if (pass < MAX_PASSES && invoked != null && !plan.finalAsStatement()
                            && CompileProblems.voidFinalValue(errors, run, rendered)) {
                        plan = new CellTranslator.Plan(plan.fields(), plan.declarations(), true, plan.epilogue());
                        continue;
                    }
                    if (pass < MAX_PASSES && plan.epilogue() && CompileProblems.endsUnreachable(errors, run, rendered)) {
                        plan = new CellTranslator.Plan(plan.fields(), plan.declarations(), plan.finalAsStatement(), false);
                        continue;
                    }
                    throw CompileProblems.of(errors, run, rendered, prepared);
                }
                CellAnalysis analysis = new CellAnalysis(run, rendered, prepared);
                CellAnalysis.Reach reach = analysis.reach(binding);
                CellTranslator.Plan better = new CellTranslator.Plan(reach.fields(), reach.declarations(),
                        plan.finalAsStatement() && analysis.finalIsVoid(), plan.epilogue());
                if (!better.equals(plan) && pass < MAX_PASSES) {
                    plan = better;
                    continue;
                }
                List<NotebookSnapshot.Variable> outputs = analysis.outputs();
                byte[] jar = DeterministicJar.of(run.generate(), Map.of(CellLines.RESOURCE, CellLines.encode(rendered.files())));
                List<NotebookSnapshot.Variable> inputs = new ArrayList<>();
                for (NotebookSnapshot.Variable variable : notebook.variables()) {
                    if (plan.fields().contains(variable.name())) {
                        inputs.add(variable);
                    }
                }
                return new CompiledCell(names.packageName() + "." + names.cellClass(), jar, DeterministicJar.sha256(jar),
                        inputs, outputs, sources);
            }
        }
    }

    /**
     * Compiles a trivial cell, so the first real one does not pay for loading javac and JShell's
     * analysis (about two seconds); meant for a background thread at kernel start.
     */
    public void warmUp() {
        try {
            compile(new NotebookSnapshot(List.of(), List.of(), List.of()), "1 + 1", List.of(), null);
        } catch (CellCompileException e) {
            throw new IllegalStateException("a trivial cell did not compile: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a final call is more likely void than not: a guess that saves javac a second pass
     * when right, and costs one when wrong (javac's answer is what counts).
     */
    private static boolean likelyVoid(String method) {
        if (method == null) {
            return false;
        }
        return LIKELY_VOID.contains(method)
                || (method.startsWith("set") && method.length() > 3 && Character.isUpperCase(method.charAt(3)));
    }

    /** Class names that no notebook type, and nothing the cell mentions, already uses. */
    private static JavaNames names(NotebookSnapshot notebook, String body) {
        Set<String> taken = new HashSet<>();
        for (NotebookSnapshot.Declaration declaration : notebook.declarations()) {
            taken.add(declaration.name());
        }
        for (NotebookSnapshot.Variable variable : notebook.variables()) {
            taken.add(variable.name());
        }
        taken.addAll(TypeText.names(body));
        return new JavaNames(PACKAGE, fresh("Notebook", taken), fresh("Cell", taken));
    }

    private static String fresh(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + i;
        }
        taken.add(name);
        return name;
    }

    private static List<String> checkOutNames(List<String> outs) throws CellCompileException {
        Set<String> names = new LinkedHashSet<>();
        for (String out : outs) {
            String name = out.strip();
            if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
                throw CompileProblems.single("--out " + out, "--out " + out + ": not a Java variable name; name a variable declared in the cell");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** A notebook variable the cell uses must have a type plain Java can write, to be declared as a field. */
    private static void checkVariableTypes(PreparedCell prepared) throws CellCompileException {
        for (String name : prepared.candidateFields) {
            String type = prepared.variable(name).type();
            if (type.contains("&") || type.contains("<anonymous") || type.contains("capture#") || type.contains("<any>")) {
                throw CompileProblems.single("notebook variable " + name, "the cell uses the notebook variable " + name + ", whose type ("
                        + type + ") cannot be written in plain Java; declare " + name + " with an explicit type "
                        + "(for example List<Object> " + name + " = ...) in an ordinary cell, run it, then this cell");
            }
        }
    }

}
