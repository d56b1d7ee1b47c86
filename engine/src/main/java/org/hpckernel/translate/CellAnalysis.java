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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** What javac found out about the cell after attribution. */
final class CellAnalysis {
    private final InMemoryJavac.Run run;
    private final CellTranslator.Rendered rendered;
    private final PreparedCell prepared;
    private final Trees trees;
    private final CompilationUnitTree cellUnit;
    private final TypeElement notebookClass;
    private final TypeElement cellClass;
    private final MethodTree runMethod;

    CellAnalysis(InMemoryJavac.Run run, CellTranslator.Rendered rendered, PreparedCell prepared) {
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
                throw CompileProblems.single("--out " + out, "--out " + out + ": " + out + " is not declared in the cell body "
                        + "(at its top level, outside any block); declare it there, for example `var " + out + " = ...;`, "
                        + "or remove it from --out");
            }
            Element element = trees.getElement(TreePath.getPath(cellUnit, declaration));
            try {
                outputs.add(new NotebookSnapshot.Variable(out, spelling.spell(element.asType())));
            } catch (TypeSpelling.Unnameable e) {
                throw CompileProblems.single("--out " + out, "--out " + out + ": " + e.getMessage());
            }
        }
        return outputs;
    }
}
