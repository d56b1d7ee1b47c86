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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
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

    /**
     * What the cell really uses, following javac's resolution of every name: the notebook methods
     * and types it reaches (through the methods and types it reaches, and so on) and the notebook
     * variables those read or write. The input assignments themselves do not count.
     *
     * @param declarations indexes in the snapshot's declarations, in its order
     */
    record Reach(Set<String> fields, List<Integer> declarations) {}

    Reach reach(ForEachBinding binding) {
        Map<Element, Tree> owners = new LinkedHashMap<>();
        Map<Element, CompilationUnitTree> unitOf = new HashMap<>();
        for (CompilationUnitTree unit : run.units()) {
            for (Tree declaration : unit.getTypeDecls()) {
                Element element = trees.getElement(TreePath.getPath(unit, declaration));
                if (element == null) {
                    continue;
                }
                if (element.equals(notebookClass)) {
                    for (Tree member : ((ClassTree) declaration).getMembers()) {
                        Element inner = trees.getElement(TreePath.getPath(unit, member));
                        if (inner != null && (inner.getKind() == ElementKind.METHOD || inner.getKind() == ElementKind.FIELD)) {
                            owners.put(inner, member);
                            unitOf.put(inner, unit);
                        }
                    }
                } else {
                    owners.put(element, declaration);
                    unitOf.put(element, unit);
                }
            }
        }
        Set<Element> reached = new LinkedHashSet<>();
        List<Element> pending = new ArrayList<>();
        pending.add(cellClass);
        if (binding != null) {
            notebookMember(binding.list(), ElementKind.FIELD).ifPresent(pending::add);
        }
        if (prepared.allDeclarations) {
            pending.addAll(owners.keySet());
        }
        SourcePositions positions = trees.getSourcePositions();
        while (!pending.isEmpty()) {
            Element owner = pending.remove(pending.size() - 1);
            if (!reached.add(owner) || !owners.containsKey(owner)) {
                continue;
            }
            CompilationUnitTree unit = unitOf.get(owner);
            boolean cell = owner.equals(cellClass);
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitIdentifier(IdentifierTree node, Void unused) {
                    long position = positions.getStartPosition(unit, node);
                    if (cell && position >= rendered.inputsStart() && position < rendered.inputsEnd()) {
                        return null;
                    }
                    Element target = notebookOwner(trees.getElement(getCurrentPath()));
                    if (target != null && !reached.contains(target)) {
                        pending.add(target);
                    }
                    return null;
                }
            }.scan(TreePath.getPath(unit, owners.get(owner)), null);
        }
        Set<String> fields = new LinkedHashSet<>();
        Set<String> methods = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (Element element : reached) {
            if (element.getKind() == ElementKind.FIELD) {
                fields.add(element.getSimpleName().toString());
            } else if (element.getKind() == ElementKind.METHOD) {
                methods.add(element.getSimpleName().toString());
            } else if (!element.equals(cellClass)) {
                types.add(element.getSimpleName().toString());
            }
        }
        Set<String> orderedFields = new LinkedHashSet<>();
        for (String candidate : prepared.candidateFields) {
            if (fields.contains(candidate)) {
                orderedFields.add(candidate);
            }
        }
        List<Integer> declarations = new ArrayList<>();
        for (int index : prepared.includedDeclarations) {
            NotebookSnapshot.Declaration declaration = prepared.notebook.declarations().get(index);
            Set<String> names = declaration.kind() == NotebookSnapshot.Kind.METHOD ? methods : types;
            if (prepared.allDeclarations || names.contains(declaration.name())) {
                declarations.add(index);
            }
        }
        return new Reach(orderedFields, declarations);
    }

    /** The notebook method, variable or top-level type behind a name, or null for anything else. */
    private Element notebookOwner(Element element) {
        if (element == null) {
            return null;
        }
        if ((element.getKind() == ElementKind.METHOD || element.getKind() == ElementKind.FIELD)
                && notebookClass.equals(element.getEnclosingElement())) {
            return element;
        }
        Element outer = element;
        while (outer != null && !(outer.getEnclosingElement() instanceof PackageElement)) {
            outer = outer.getEnclosingElement();
        }
        if (outer instanceof TypeElement type && !type.equals(notebookClass) && !type.equals(cellClass)
                && ((PackageElement) type.getEnclosingElement()).getQualifiedName().contentEquals(prepared.names.packageName())) {
            return type;
        }
        return null;
    }

    private Optional<Element> notebookMember(String name, ElementKind kind) {
        return notebookClass.getEnclosedElements().stream()
                .filter(e -> e.getKind() == kind && e.getSimpleName().contentEquals(name))
                .map(Element.class::cast).findFirst();
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
