package org.hpckernel.translate;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * What each snippet is (import, type, method, variable, expression, statement), the names it
 * uses and where its modifiers are: javac's parser over small wrappers, all snippets in one pass.
 */
final class SnippetSyntax {
    enum Kind { IMPORT, TYPE, METHOD, VARIABLE, EXPRESSION, STATEMENT, COMMENT }

    /**
     * @param name the declared type's or method's name, else null
     * @param variables names a variable snippet declares ({@code int a, b;} declares two)
     * @param identifiers every simple name the snippet mentions
     * @param modifiers the modifiers of a type or method, else null
     * @param typeKind CLASS, RECORD, ENUM, INTERFACE, ANNOTATION_TYPE for a type, else null
     * @param invoked for an expression that is a method call (it may be void), the method's name; else null
     */
    record Parsed(Kind kind, String name, List<String> variables, Set<String> identifiers, Modifiers modifiers,
            Tree.Kind typeKind, String invoked) {}

    /**
     * @param start offset (in the snippet) of the declaration's first modifier or, without
     *     modifiers, of its first token; {@code end} just after the last modifier, or -1 without modifiers
     */
    record Modifiers(Set<Modifier> flags, int start, int end) {}

    private static final String MEMBER_HEAD = "class HpcWrapper {\n";
    private static final String STATEMENT_HEAD = "class HpcWrapper { void run() {\n";
    private static final String EXPRESSION_HEAD = "class HpcWrapper { Object value = (\n";

    private final JavaCompiler compiler;
    private final StandardJavaFileManager fileManager;

    SnippetSyntax(JavaCompiler compiler, StandardJavaFileManager fileManager) {
        this.compiler = compiler;
        this.fileManager = fileManager;
    }

    /** Notebook declarations, parsed as class members. */
    List<Parsed> declarations(List<String> sources) {
        List<Unit> units = new ArrayList<>();
        for (String source : sources) {
            units.add(new Unit(MEMBER_HEAD, source, "\n}\n"));
        }
        parse(units);
        List<Parsed> parsed = new ArrayList<>();
        for (Unit unit : units) {
            Tree member = onlyMember(unit);
            parsed.add(member != null ? declaration(unit, member)
                    : new Parsed(Kind.STATEMENT, null, List.of(), identifiers(unit.tree), null, null, null));
        }
        return parsed;
    }

    /** Cell snippets' code (comments before them excluded). */
    List<Parsed> snippets(List<String> codes) {
        List<Unit[]> forms = new ArrayList<>();
        List<Unit> all = new ArrayList<>();
        for (String code : codes) {
            String expression = code.strip();
            while (expression.endsWith(";")) {
                expression = expression.substring(0, expression.length() - 1).stripTrailing();
            }
            Unit[] unit = {
                new Unit(MEMBER_HEAD, code, "\n}\n"),
                new Unit(EXPRESSION_HEAD, expression, "\n);}\n"),
                new Unit(STATEMENT_HEAD, code, "\n}}\n")};
            forms.add(unit);
            all.addAll(List.of(unit));
        }
        parse(all);
        List<Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            parsed.add(snippet(codes.get(i), forms.get(i)));
        }
        return parsed;
    }

    private Parsed snippet(String code, Unit[] forms) {
        if (code.isEmpty()) {
            return new Parsed(Kind.COMMENT, null, List.of(), Set.of(), null, null, null);
        }
        if (code.startsWith("import") && (code.length() == 6 || !Character.isJavaIdentifierPart(code.charAt(6)))) {
            return new Parsed(Kind.IMPORT, null, List.of(), Set.of(), null, null, null);
        }
        Unit member = forms[0];
        Tree declared = member.clean ? onlyMember(member) : null;
        if (declared instanceof MethodTree || declared instanceof ClassTree) {
            return declaration(member, declared);
        }
        // Declarations first: `List<Point> moved = ...` also parses as an (odd) expression.
        Unit statement = forms[2];
        List<String> variables = new ArrayList<>();
        List<? extends StatementTree> statements = body(statement);
        for (StatementTree tree : statements) {
            if (tree instanceof VariableTree variable) {
                variables.add(variable.getName().toString());
            }
        }
        if (statement.clean && !statements.isEmpty() && variables.size() == statements.size()) {
            return new Parsed(Kind.VARIABLE, null, List.copyOf(variables), identifiers(statement.tree), null, null, null);
        }
        Unit expression = forms[1];
        if (expression.clean) {
            ExpressionTree value = initializer(expression);
            if (value != null && value.getKind() != Tree.Kind.SWITCH_EXPRESSION) {
                return new Parsed(Kind.EXPRESSION, null, List.of(), identifiers(expression.tree), null, null, invokedName(value));
            }
        }
        return new Parsed(Kind.STATEMENT, null, List.of(), identifiers(statement.tree), null, null, null);
    }

    private static String invokedName(ExpressionTree value) {
        if (!(value instanceof MethodInvocationTree invocation)) {
            return null;
        }
        ExpressionTree select = invocation.getMethodSelect();
        if (select instanceof MemberSelectTree member) {
            return member.getIdentifier().toString();
        }
        return select instanceof IdentifierTree identifier ? identifier.getName().toString() : "";
    }

    private Parsed declaration(Unit unit, Tree member) {
        SourcePositions positions = Trees.instance(unit.task).getSourcePositions();
        ModifiersTree modifiers = member instanceof MethodTree method ? method.getModifiers() : ((ClassTree) member).getModifiers();
        long treeStart = positions.getStartPosition(unit.tree, member);
        long modifiersStart = positions.getStartPosition(unit.tree, modifiers);
        long modifiersEnd = positions.getEndPosition(unit.tree, modifiers);
        int head = unit.head.length();
        Modifiers found = modifiersStart < 0 || modifiersEnd <= modifiersStart
                ? new Modifiers(modifiers.getFlags(), (int) treeStart - head, -1)
                : new Modifiers(modifiers.getFlags(), (int) modifiersStart - head, (int) modifiersEnd - head);
        if (member instanceof MethodTree method) {
            return new Parsed(Kind.METHOD, method.getName().toString(), List.of(), identifiers(unit.tree), found, null, null);
        }
        ClassTree type = (ClassTree) member;
        return new Parsed(Kind.TYPE, type.getSimpleName().toString(), List.of(), identifiers(unit.tree), found, type.getKind(), null);
    }

    private static Tree onlyMember(Unit unit) {
        if (unit.tree == null || unit.tree.getTypeDecls().size() != 1) {
            return null;
        }
        List<? extends Tree> members = ((ClassTree) unit.tree.getTypeDecls().get(0)).getMembers();
        return members.size() == 1 ? members.get(0) : null;
    }

    private static ExpressionTree initializer(Unit unit) {
        Tree member = onlyMember(unit);
        if (member instanceof VariableTree variable && variable.getInitializer() instanceof ParenthesizedTree parenthesized) {
            return parenthesized.getExpression();
        }
        return null;
    }

    private static List<? extends StatementTree> body(Unit unit) {
        Tree member = onlyMember(unit);
        if (member instanceof MethodTree method) {
            BlockTree body = method.getBody();
            return body == null ? List.of() : body.getStatements();
        }
        return List.of();
    }

    private static Set<String> identifiers(CompilationUnitTree tree) {
        Set<String> names = new LinkedHashSet<>();
        if (tree == null) {
            return names;
        }
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                names.add(node.getName().toString());
                return null;
            }
        }.scan(tree, null);
        names.remove("HpcWrapper");
        return names;
    }

    private void parse(List<Unit> units) {
        if (units.isEmpty()) {
            return;
        }
        Map<URI, Unit> byFile = new HashMap<>();
        List<JavaFileObject> files = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            JavaFileObject file = units.get(i).file(i);
            files.add(file);
            byFile.put(file.toUri(), units.get(i));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) compiler.getTask(null, fileManager, diagnostics, List.of("-proc:none"), null, files);
        Iterable<? extends CompilationUnitTree> trees;
        try {
            trees = task.parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<URI> failed = new HashSet<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR && diagnostic.getSource() != null) {
                failed.add(diagnostic.getSource().toUri());
            }
        }
        for (CompilationUnitTree tree : trees) {
            URI uri = tree.getSourceFile().toUri();
            Unit unit = byFile.get(uri);
            if (unit != null) {
                unit.tree = tree;
                unit.task = task;
                unit.clean = !failed.contains(uri);
            }
        }
    }

    private static final class Unit {
        final String head;
        final String text;
        CompilationUnitTree tree;
        JavacTask task;
        boolean clean;

        Unit(String head, String code, String tail) {
            this.head = head;
            this.text = head + code + tail;
        }

        JavaFileObject file(int index) {
            return new SimpleJavaFileObject(URI.create("string:///HpcWrapper" + index + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            };
        }
    }
}
