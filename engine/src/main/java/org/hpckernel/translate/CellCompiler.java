package org.hpckernel.translate;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Turns the notebook's declarations and one %%hpc cell into plain Java classes and compiles them
 * in the kernel with javac, so a typo fails the cell at once and the node runs exactly these classes.
 */
public final class CellCompiler {
    /** The package of the generated classes; a name a notebook is unlikely to use. */
    static final String PACKAGE = "hpccell";
    private static final int MAX_PASSES = 4;
    private static final Pattern UNRESOLVED_VARIABLE = Pattern.compile("symbol:\\s+variable (\\S+)");

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
            CellTranslator.Prepared prepared = translator.prepare(notebook, body, outNames, binding, names, allDeclarations);
            checkOutsDeclared(prepared);
            checkVariableTypes(prepared);
            CellTranslator.Plan plan = new CellTranslator.Plan(prepared.candidateFields,
                    prepared.finalChunk >= 0 && prepared.chunkSyntax(prepared.finalChunk).invocation(), true);
            for (int pass = 1; ; pass++) {
                CellTranslator.Rendered rendered = translator.render(prepared, plan);
                Map<String, String> sources = new LinkedHashMap<>();
                rendered.files().forEach((name, file) -> sources.put(name, file.text()));
                InMemoryJavac.Run run = javac.analyze(names.packageName(), sources);
                List<Diagnostic<? extends JavaFileObject>> errors = run.analyze();
                if (!errors.isEmpty()) {
                    if (plan.epilogue() && endsUnreachable(errors, run, rendered)) {
                        plan = new CellTranslator.Plan(plan.fields(), plan.finalAsStatement(), false);
                        continue;
                    }
                    throw compileError(errors, run, rendered, prepared);
                }
                CellAnalysis analysis = new CellAnalysis(run, rendered, prepared);
                CellTranslator.Plan better = new CellTranslator.Plan(analysis.usedFields(binding),
                        plan.finalAsStatement() && analysis.finalIsVoid(), plan.epilogue());
                if (!better.equals(plan) && pass < MAX_PASSES) {
                    plan = better;
                    continue;
                }
                List<NotebookSnapshot.Variable> outputs = analysis.outputs();
                byte[] jar = DeterministicJar.of(run.generate());
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
                throw single("--out " + out, "--out " + out + ": not a Java variable name; name a variable declared in the cell");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static void checkOutsDeclared(CellTranslator.Prepared prepared) throws CellCompileException {
        for (String out : prepared.outs) {
            if (!prepared.cellVariables.contains(out)) {
                throw single("--out " + out, "--out " + out + ": " + out + " is not declared in the cell body; declare it at "
                        + "the top level of the cell (for example `var " + out + " = ...;`), or remove it from --out");
            }
        }
    }

    /** A notebook variable the cell uses must have a type plain Java can write, to be declared as a field. */
    private static void checkVariableTypes(CellTranslator.Prepared prepared) throws CellCompileException {
        for (String name : prepared.candidateFields) {
            String type = prepared.variable(name).type();
            if (type.contains("&") || type.contains("<anonymous") || type.contains("capture#") || type.contains("<any>")) {
                throw single("notebook variable " + name, "the cell uses the notebook variable " + name + ", whose type ("
                        + type + ") cannot be written in plain Java; declare " + name + " with an explicit type "
                        + "(for example List<Object> " + name + " = ...) in an ordinary cell, run it, then this cell");
            }
        }
    }

    private static CellCompileException single(String where, String message) {
        return new CellCompileException(message, List.of(new CellCompileException.Problem(where, 0, 0, message, "")));
    }

    /** True when the body cannot complete normally, so the outputs and return after it are unreachable. */
    private static boolean endsUnreachable(List<Diagnostic<? extends JavaFileObject>> errors, InMemoryJavac.Run run,
            CellTranslator.Rendered rendered) {
        if (rendered.epilogueStart() < 0) {
            return false;
        }
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            if ("compiler.err.unreachable.stmt".equals(error.getCode())
                    && rendered.cellFile().equals(run.fileName(error.getSource()))
                    && error.getPosition() >= rendered.epilogueStart()) {
                return true;
            }
        }
        return false;
    }

    private static CellCompileException compileError(List<Diagnostic<? extends JavaFileObject>> errors, InMemoryJavac.Run run,
            CellTranslator.Rendered rendered, CellTranslator.Prepared prepared) {
        List<CellCompileException.Problem> problems = new ArrayList<>();
        StringBuilder message = new StringBuilder("the cell does not compile:");
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            String file = run.fileName(error.getSource());
            GeneratedSource source = file == null ? null : rendered.files().get(file);
            GeneratedSource.Located located = source == null || error.getPosition() < 0 ? null : source.locate(error.getPosition());
            String text = error.getMessage(Locale.ENGLISH).replace(prepared.names.packageName() + ".", "")
                    + hint(error, prepared);
            CellCompileException.Problem problem = located == null
                    ? new CellCompileException.Problem(file == null ? "cell" : file, 0, 0, text, "")
                    : new CellCompileException.Problem(located.source().where(), located.line(), located.column(), text,
                            located.sourceLine());
            if (problems.contains(problem)) {
                continue;
            }
            problems.add(problem);
            message.append('\n').append(problem.where());
            if (problem.line() > 0) {
                message.append(", line ").append(problem.line()).append(", column ").append(problem.column());
            }
            message.append(": ").append(text);
            if (!problem.sourceLine().isEmpty()) {
                message.append("\n    ").append(problem.sourceLine());
                if (problem.column() > 0) {
                    message.append("\n    ").append(" ".repeat((int) problem.column() - 1)).append('^');
                }
            }
        }
        return new CellCompileException(message.toString(), problems);
    }

    /**
     * Where compiled Java and JShell differ, says so: JShell makes a cell's variables fields, the
     * compiled cell makes them local variables of its body.
     */
    private static String hint(Diagnostic<? extends JavaFileObject> error, CellTranslator.Prepared prepared) {
        String code = error.getCode();
        if ("compiler.err.cant.ref.non.effectively.final.var".equals(code)) {
            return "\n  (in a compiled %%hpc cell the cell's variables are local variables: a lambda or inner class can "
                    + "only read those never reassigned; for a counter use an AtomicInteger or an array)";
        }
        if (code != null && code.startsWith("compiler.err.cant.resolve")) {
            Matcher symbol = UNRESOLVED_VARIABLE.matcher(error.getMessage(Locale.ENGLISH));
            if (symbol.find() && prepared.cellVariables.contains(symbol.group(1))) {
                return "\n  (" + symbol.group(1) + " is a variable of this cell; in a compiled %%hpc cell it is local to "
                        + "the cell's body, so a method or class declared in the cell cannot see it: pass it as a parameter)";
            }
        }
        return "";
    }

    /** What javac found out about the cell after attribution. */
    private static final class CellAnalysis {
        private final InMemoryJavac.Run run;
        private final CellTranslator.Rendered rendered;
        private final CellTranslator.Prepared prepared;
        private final Trees trees;
        private final CompilationUnitTree cellUnit;
        private final TypeElement notebookClass;
        private final TypeElement cellClass;
        private final MethodTree runMethod;

        CellAnalysis(InMemoryJavac.Run run, CellTranslator.Rendered rendered, CellTranslator.Prepared prepared) {
            this.run = run;
            this.rendered = rendered;
            this.prepared = prepared;
            this.trees = Trees.instance(run.task());
            this.cellUnit = run.units().stream()
                    .filter(unit -> rendered.cellFile().equals(run.fileName(unit.getSourceFile()))).findFirst().orElseThrow();
            String packageName = prepared.names.packageName();
            this.notebookClass = run.task().getElements().getTypeElement(packageName + "." + prepared.names.notebookClass());
            this.cellClass = run.task().getElements().getTypeElement(packageName + "." + prepared.names.cellClass());
            ClassTree cellTree = (ClassTree) cellUnit.getTypeDecls().get(0);
            this.runMethod = cellTree.getMembers().stream()
                    .filter(m -> m instanceof MethodTree method && method.getName().contentEquals("run"))
                    .map(MethodTree.class::cast).findFirst().orElseThrow();
        }

        /** The notebook variables some code reads or writes (the input assignments themselves aside). */
        Set<String> usedFields(ForEachBinding binding) {
            Set<String> used = new HashSet<>();
            if (binding != null) {
                used.add(binding.list());
            }
            SourcePositions positions = trees.getSourcePositions();
            for (CompilationUnitTree unit : run.units()) {
                boolean cell = unit == cellUnit;
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitIdentifier(IdentifierTree node, Void unused) {
                        Element element = trees.getElement(getCurrentPath());
                        if (element != null && element.getKind() == ElementKind.FIELD
                                && element.getEnclosingElement().equals(notebookClass)) {
                            long position = positions.getStartPosition(unit, node);
                            if (!cell || position < rendered.inputsStart() || position >= rendered.inputsEnd()) {
                                used.add(element.getSimpleName().toString());
                            }
                        }
                        return null;
                    }
                }.scan(unit, null);
            }
            Set<String> ordered = new LinkedHashSet<>();
            for (String candidate : prepared.candidateFields) {
                if (used.contains(candidate)) {
                    ordered.add(candidate);
                }
            }
            return ordered;
        }

        /** Whether the final expression, written as a statement, is a void call. */
        boolean finalIsVoid() {
            if (rendered.finalStart() < 0) {
                return false;
            }
            SourcePositions positions = trees.getSourcePositions();
            for (StatementTree statement : runMethod.getBody().getStatements()) {
                if (statement instanceof ExpressionStatementTree expression
                        && positions.getStartPosition(cellUnit, statement) == rendered.finalStart()) {
                    TreePath path = TreePath.getPath(cellUnit, expression.getExpression());
                    TypeMirror type = trees.getTypeMirror(path);
                    return type == null || type.getKind() == TypeKind.VOID;
                }
            }
            return false;
        }

        /** Each {@code --out} with its declared type, spelled as the notebook writes it. */
        List<NotebookSnapshot.Variable> outputs() throws CellCompileException {
            List<String> imports = new ArrayList<>();
            for (String name : NotebookSnapshot.DEFAULT_IMPORTS) {
                imports.add("import " + name + ";");
            }
            imports.addAll(prepared.notebook.imports());
            TypeSpelling spelling = new TypeSpelling(prepared.names.packageName(), cellClass, imports);
            List<NotebookSnapshot.Variable> outputs = new ArrayList<>();
            for (String out : prepared.outs) {
                VariableTree declaration = null;
                for (StatementTree statement : runMethod.getBody().getStatements()) {
                    if (statement instanceof VariableTree variable && variable.getName().contentEquals(out)
                            && variable.getKind() == Tree.Kind.VARIABLE) {
                        declaration = variable;
                    }
                }
                if (declaration == null) {
                    throw single("--out " + out, "--out " + out + ": " + out + " is not declared at the top level of the cell "
                            + "body; declare it outside any block, or remove it from --out");
                }
                Element element = trees.getElement(TreePath.getPath(cellUnit, declaration));
                try {
                    outputs.add(new NotebookSnapshot.Variable(out, spelling.spell(element.asType())));
                } catch (TypeSpelling.Unnameable e) {
                    throw single("--out " + out, "--out " + out + ": " + e.getMessage());
                }
            }
            return outputs;
        }
    }
}
