package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;
import org.hpckernel.display.Display;
import org.hpckernel.translate.SnippetSyntax.Parsed;

/**
 * Writes the notebook's side of a translation: each notebook type as a top-level type in its own
 * file, and one class with the notebook's methods (static) and the variables the cell uses (static
 * fields). Every file imports what a notebook cell sees without writing it.
 */
final class NotebookFiles {
    static final String INDENT = "    ";
    private static final Pattern DROPPED_TOP_LEVEL_MODIFIERS = Pattern.compile("\\b(static|private|protected)\\b\\s*");
    private static final Pattern ACCESS = Pattern.compile("\\b(public|protected|private)\\b");

    private NotebookFiles() {}

    static List<String> imports(NotebookSnapshot notebook) {
        Set<String> lines = new LinkedHashSet<>();
        for (String name : NotebookSnapshot.DEFAULT_IMPORTS) {
            lines.add("import " + name + ";");
        }
        for (String source : notebook.imports()) {
            String code = source.substring(CellSplitter.skipTrivia(source, 0, source.length())).strip();
            lines.add(code.endsWith(";") ? code : code + ";");
        }
        return new ArrayList<>(lines);
    }

    static void header(GeneratedSource.Builder file, JavaNames names, List<String> imports, boolean notebookImport) {
        file.line("package " + names.packageName() + ";").line("");
        for (String line : imports) {
            file.line(line);
        }
        file.line("import static " + Display.class.getName() + ".*;");
        if (notebookImport) {
            file.line("import static " + names.packageName() + "." + names.notebookClass() + ".*;");
        }
    }

    static GeneratedSource typeFile(JavaNames names, List<String> imports, NotebookSnapshot.Declaration declaration,
            Parsed parsed) {
        GeneratedSource.Builder file = GeneratedSource.builder(declaration.name() + ".java");
        header(file, names, imports, true);
        file.line("");
        SourceText source = new SourceText(declaration.name(), topLevelType(declaration.source(), parsed).strip());
        file.copy(source, 0, source.text().length(), "", "", "");
        return file.build();
    }

    /** A notebook type as a top-level type: public, and without the modifiers only members may have. */
    private static String topLevelType(String source, Parsed parsed) {
        SnippetSyntax.Modifiers modifiers = parsed.modifiers();
        if (modifiers == null) {
            return source;
        }
        int start = modifiers.start();
        String head = source.substring(0, start);
        String rest = source.substring(start);
        if (modifiers.end() >= 0) {
            int length = modifiers.end() - modifiers.start();
            String kept = DROPPED_TOP_LEVEL_MODIFIERS.matcher(rest.substring(0, length)).replaceAll("");
            rest = kept + (kept.isEmpty() ? rest.substring(length).stripLeading() : rest.substring(length));
        }
        return head + (modifiers.flags().contains(Modifier.PUBLIC) ? "" : "public ") + rest;
    }

    /** A notebook method as a static method. */
    private static String staticMethod(String source, Parsed parsed) {
        SnippetSyntax.Modifiers modifiers = parsed.modifiers();
        if (modifiers == null || modifiers.flags().contains(Modifier.STATIC)) {
            return source;
        }
        int start = modifiers.start();
        if (modifiers.end() >= 0) {
            Matcher access = ACCESS.matcher(source.substring(start, start + modifiers.end() - modifiers.start()));
            if (access.find()) {
                int at = start + access.end();
                return source.substring(0, at) + " static" + source.substring(at);
            }
        }
        return source.substring(0, start) + "static " + source.substring(start);
    }

    static GeneratedSource notebookFile(PreparedCell prepared, CellTranslator.Plan plan, List<String> imports) {
        JavaNames names = prepared.names;
        GeneratedSource.Builder file = GeneratedSource.builder(names.notebookClass() + ".java");
        header(file, names, imports, false);
        file.line("");
        file.line("/** The notebook's methods, and its variables the cell uses. */");
        file.line("public final class " + names.notebookClass() + " {");
        for (NotebookSnapshot.Variable variable : prepared.notebook.variables()) {
            if (plan.fields().contains(variable.name())) {
                file.line(INDENT + "static " + variable.type() + " " + variable.name() + ";", variableSource(variable));
            }
        }
        if (!plan.fields().isEmpty()) {
            file.line("");
        }
        file.line(INDENT + "private " + names.notebookClass() + "() {").line(INDENT + "}");
        for (int index : plan.declarations()) {
            NotebookSnapshot.Declaration declaration = prepared.notebook.declarations().get(index);
            if (declaration.kind() == NotebookSnapshot.Kind.METHOD) {
                file.line("");
                SourceText source = new SourceText(declaration.name(),
                        staticMethod(declaration.source(), prepared.parsedDeclarations.get(index)).strip());
                file.copy(source, 0, source.text().length(), INDENT, "", "");
            }
        }
        file.line("}");
        return file.build();
    }

    static SourceText variableSource(NotebookSnapshot.Variable variable) {
        return new SourceText("notebook variable " + variable.name(), variable.type() + " " + variable.name());
    }
}
