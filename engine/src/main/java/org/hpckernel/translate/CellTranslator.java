package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import org.hpckernel.display.Display;
import org.hpckernel.translate.CellSplitter.CellChunk;
import org.hpckernel.translate.SnippetSyntax.Kind;
import org.hpckernel.translate.SnippetSyntax.Parsed;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.CellProgram;
import org.hpckernel.values.TypeCapture;

/**
 * Turns the notebook's declarations and one cell into plain Java files: each notebook type in its
 * own file, the notebook's methods and the variables the cell uses in one class, and the cell as a
 * {@link CellProgram}. The kernel compiles these before submitting a cell; export writes them out.
 */
final class CellTranslator {
    /** The choices a translation leaves open until javac has looked at the cell. */
    record Plan(Set<String> fields, boolean finalAsStatement, boolean epilogue) {}

    /**
     * The generated files and the places in the cell's file the compiler looks at again.
     *
     * @param inputsStart offset in the cell file where the input assignments begin
     * @param inputsEnd offset where they end (the {@code --for} binding, if any, follows)
     * @param finalStart offset of the final expression's code, or -1 without one
     * @param epilogueStart offset of the outputs and final return, or -1 without them
     */
    record Rendered(Map<String, GeneratedSource> files, String cellFile, int inputsStart, int inputsEnd,
            int finalStart, int epilogueStart) {}

    private static final String INDENT = "    ";
    private static final Pattern DROPPED_TOP_LEVEL_MODIFIERS = Pattern.compile("\\b(static|private|protected)\\b\\s*");
    private static final Pattern ACCESS = Pattern.compile("\\b(public|protected|private)\\b");

    private final SnippetSyntax syntax;

    CellTranslator(JavaCompiler compiler, StandardJavaFileManager fileManager) {
        this.syntax = new SnippetSyntax(compiler, fileManager);
    }

    /** Everything about the cell and notebook that does not depend on the plan. */
    final class Prepared {
        final NotebookSnapshot notebook;
        final SourceText cell;
        final List<CellChunk> chunks;
        final List<Parsed> parsedChunks;
        final List<Parsed> parsedDeclarations;
        final List<Integer> includedDeclarations = new ArrayList<>();
        final Set<String> candidateFields = new LinkedHashSet<>();
        final ForEachBinding forEach;
        final List<String> outs;
        final JavaNames names;
        final Set<String> cellVariables = new LinkedHashSet<>();
        final int finalChunk;
        final String ioName;
        final String valueName;

        private Prepared(NotebookSnapshot notebook, String body, List<String> outs, ForEachBinding forEach,
                JavaNames names, boolean allDeclarations) {
            this.notebook = notebook;
            this.cell = new SourceText("cell", body);
            this.outs = List.copyOf(outs);
            this.forEach = forEach;
            this.names = names;
            this.chunks = CellSplitter.split(body);
            List<String> codes = new ArrayList<>();
            for (CellChunk chunk : chunks) {
                codes.add(body.substring(chunk.codeStart(), chunk.codeEnd()) + (chunk.needsSemicolon() ? ";" : ""));
            }
            this.parsedChunks = syntax.snippets(codes);
            this.parsedDeclarations = syntax.declarations(
                    notebook.declarations().stream().map(NotebookSnapshot.Declaration::source).toList());
            Set<String> used = new HashSet<>();
            int last = -1;
            for (int i = 0; i < chunks.size(); i++) {
                Parsed parsed = parsedChunks.get(i);
                used.addAll(parsed.identifiers());
                cellVariables.addAll(parsed.variables());
                if (parsed.kind() != Kind.COMMENT && parsed.kind() != Kind.IMPORT
                        && parsed.kind() != Kind.METHOD && parsed.kind() != Kind.TYPE) {
                    last = i;
                }
            }
            this.finalChunk = last >= 0 && parsedChunks.get(last).kind() == Kind.EXPRESSION ? last : -1;
            if (forEach != null) {
                used.add(forEach.list());
                used.addAll(TypeText.names(forEach.elementType()));
            }
            include(used, allDeclarations);
            Set<String> taken = new HashSet<>(used);
            taken.addAll(cellVariables);
            taken.addAll(candidateFields);
            this.ioName = fresh("io", taken);
            taken.add(ioName);
            this.valueName = fresh("value", taken);
        }

        /** The declarations and variables the cell reaches through the names it uses, transitively. */
        private void include(Set<String> used, boolean allDeclarations) {
            List<String> pending = new ArrayList<>(used);
            Set<String> seen = new HashSet<>(used);
            List<NotebookSnapshot.Declaration> declarations = notebook.declarations();
            Set<Integer> included = new HashSet<>();
            if (allDeclarations) {
                for (int i = 0; i < declarations.size(); i++) {
                    included.add(i);
                    for (String name : parsedDeclarations.get(i).identifiers()) {
                        if (seen.add(name)) {
                            pending.add(name);
                        }
                    }
                }
            }
            while (!pending.isEmpty()) {
                String name = pending.remove(pending.size() - 1);
                for (int i = 0; i < declarations.size(); i++) {
                    if (declarations.get(i).name().equals(name) && included.add(i)) {
                        for (String next : parsedDeclarations.get(i).identifiers()) {
                            if (seen.add(next)) {
                                pending.add(next);
                            }
                        }
                    }
                }
                for (NotebookSnapshot.Variable variable : notebook.variables()) {
                    if (variable.name().equals(name)) {
                        for (String next : TypeText.names(variable.type())) {
                            if (seen.add(next)) {
                                pending.add(next);
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < declarations.size(); i++) {
                if (included.contains(i)) {
                    includedDeclarations.add(i);
                }
            }
            for (NotebookSnapshot.Variable variable : notebook.variables()) {
                if (seen.contains(variable.name())) {
                    candidateFields.add(variable.name());
                }
            }
        }

        NotebookSnapshot.Variable variable(String name) {
            return notebook.variables().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
        }

        Parsed chunkSyntax(int index) {
            return parsedChunks.get(index);
        }
    }

    Prepared prepare(NotebookSnapshot notebook, String body, List<String> outs, ForEachBinding forEach, JavaNames names,
            boolean allDeclarations) {
        return new Prepared(notebook, body, outs, forEach, names, allDeclarations);
    }

    Rendered render(Prepared prepared, Plan plan) {
        Map<String, GeneratedSource> files = new LinkedHashMap<>();
        JavaNames names = prepared.names;
        List<String> imports = imports(prepared.notebook);
        for (int index : prepared.includedDeclarations) {
            NotebookSnapshot.Declaration declaration = prepared.notebook.declarations().get(index);
            if (declaration.kind() == NotebookSnapshot.Kind.TYPE) {
                GeneratedSource source = typeFile(names, imports, declaration, prepared.parsedDeclarations.get(index));
                files.put(source.fileName(), source);
            }
        }
        GeneratedSource notebookFile = notebookFile(prepared, plan, imports);
        files.put(notebookFile.fileName(), notebookFile);
        GeneratedSource.Builder cell = GeneratedSource.builder(names.cellClass() + ".java");
        int[] places = cellFile(prepared, plan, imports, cell);
        GeneratedSource cellFile = cell.build();
        files.put(cellFile.fileName(), cellFile);
        return new Rendered(files, cellFile.fileName(), places[0], places[1], places[2], places[3]);
    }

    private static List<String> imports(NotebookSnapshot notebook) {
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

    private static void header(GeneratedSource.Builder file, JavaNames names, List<String> imports, boolean notebookImport) {
        file.line("package " + names.packageName() + ";").line("");
        for (String line : imports) {
            file.line(line);
        }
        file.line("import static " + Display.class.getName() + ".*;");
        if (notebookImport) {
            file.line("import static " + names.packageName() + "." + names.notebookClass() + ".*;");
        }
    }

    private static GeneratedSource typeFile(JavaNames names, List<String> imports, NotebookSnapshot.Declaration declaration,
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

    private static GeneratedSource notebookFile(Prepared prepared, Plan plan, List<String> imports) {
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
        for (int index : prepared.includedDeclarations) {
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

    private static SourceText variableSource(NotebookSnapshot.Variable variable) {
        return new SourceText("notebook variable " + variable.name(), variable.type() + " " + variable.name());
    }

    /** Writes the cell class; returns {inputsStart, inputsEnd, finalStart, epilogueStart}. */
    private static int[] cellFile(Prepared prepared, Plan plan, List<String> imports, GeneratedSource.Builder file) {
        JavaNames names = prepared.names;
        SourceText cell = prepared.cell;
        String body = cell.text();
        header(file, names, imports, true);
        for (int i = 0; i < prepared.chunks.size(); i++) {
            CellChunk chunk = prepared.chunks.get(i);
            if (prepared.chunkSyntax(i).kind() == Kind.IMPORT) {
                file.copy(cell, chunk.codeStart(), chunk.codeEnd(), "", "", ending(chunk));
            }
        }
        file.line("import " + CellIO.class.getName() + ";");
        file.line("import " + CellProgram.class.getName() + ";");
        file.line("import " + TypeCapture.class.getName() + ";");
        file.line("");
        file.line("public final class " + names.cellClass() + " implements " + CellProgram.class.getSimpleName() + " {");
        file.line(INDENT + "@Override");
        file.line(INDENT + "public Object run(" + CellIO.class.getSimpleName() + " " + prepared.ioName + ") throws Throwable {");
        String inner = INDENT + INDENT;
        int inputsStart = file.offset();
        for (NotebookSnapshot.Variable variable : prepared.notebook.variables()) {
            if (plan.fields().contains(variable.name())) {
                file.line(inner + variable.name() + " = " + prepared.ioName + ".input(\"" + variable.name() + "\", new "
                        + TypeCapture.class.getSimpleName() + "<" + TypeText.boxed(variable.type()) + ">() {});",
                        variableSource(variable));
            }
        }
        int inputsEnd = file.offset();
        ForEachBinding forEach = prepared.forEach;
        if (forEach != null) {
            String index = prepared.ioName + ".arrayIndex()";
            file.line(inner + forEach.elementType() + " " + forEach.name() + " = " + forEach.list()
                    + (forEach.array() ? "[" + index + "]" : ".get(" + index + ")") + ";",
                    new SourceText("--for", "--for " + forEach.name() + ":" + forEach.list()));
        }
        if (inputsEnd > inputsStart || forEach != null) {
            file.line("");
        }
        int finalStart = -1;
        for (int i = 0; i < prepared.chunks.size(); i++) {
            Parsed parsed = prepared.chunkSyntax(i);
            if (parsed.kind() == Kind.IMPORT || parsed.kind() == Kind.METHOD || parsed.kind() == Kind.TYPE) {
                continue;
            }
            CellChunk chunk = prepared.chunks.get(i);
            trivia(file, cell, chunk, inner, true);
            if (chunk.commentOnly()) {
                continue;
            }
            if (i == prepared.finalChunk) {
                int end = chunk.codeEnd();
                while (end > chunk.codeStart() && (body.charAt(end - 1) == ';' || Character.isWhitespace(body.charAt(end - 1)))) {
                    end--;
                }
                String prefix = plan.finalAsStatement() ? "" : prepared.outs.isEmpty() ? "return " : "Object " + prepared.valueName + " = ";
                finalStart = file.offset() + inner.length() + prefix.length();
                file.copy(cell, chunk.codeStart(), end, inner, prefix, ";" + chunk.trailingComment());
            } else {
                file.copy(cell, chunk.codeStart(), chunk.codeEnd(), inner, "", ending(chunk));
            }
        }
        int epilogueStart = -1;
        boolean returned = prepared.finalChunk >= 0 && !plan.finalAsStatement() && prepared.outs.isEmpty();
        if (plan.epilogue() && !returned) {
            epilogueStart = file.offset();
            for (String out : prepared.outs) {
                file.line(inner + prepared.ioName + ".output(\"" + out + "\", " + out + ");", new SourceText("--out " + out, "--out " + out));
            }
            boolean value = prepared.finalChunk >= 0 && !plan.finalAsStatement();
            file.line(inner + "return " + (value ? prepared.valueName : CellIO.class.getSimpleName() + ".NO_VALUE") + ";",
                    new SourceText("cell", ""));
        }
        file.line(INDENT + "}");
        for (int i = 0; i < prepared.chunks.size(); i++) {
            Parsed parsed = prepared.chunkSyntax(i);
            if (parsed.kind() != Kind.METHOD && parsed.kind() != Kind.TYPE) {
                continue;
            }
            CellChunk chunk = prepared.chunks.get(i);
            file.line("");
            trivia(file, cell, chunk, INDENT, false);
            boolean needsStatic = !parsed.modifiers().flags().contains(Modifier.STATIC)
                    && (parsed.kind() == Kind.METHOD || parsed.typeKind() == com.sun.source.tree.Tree.Kind.CLASS);
            file.copy(cell, chunk.codeStart(), chunk.codeEnd(), INDENT, needsStatic ? "static " : "", ending(chunk));
        }
        file.line("}");
        return new int[] {inputsStart, inputsEnd, finalStart, epilogueStart};
    }

    /** What follows a chunk's code on its last line: a ';' the user left out, a comment. */
    private static String ending(CellChunk chunk) {
        return (chunk.needsSemicolon() ? ";" : "") + chunk.trailingComment();
    }

    /** The comments before a chunk's code, and (with {@code blank}) one blank line where the user left one. */
    private static void trivia(GeneratedSource.Builder file, SourceText cell, CellChunk chunk, String indent, boolean blank) {
        String text = cell.text();
        int commentStart = chunk.start();
        int newlines = 0;
        while (commentStart < chunk.codeStart() && Character.isWhitespace(text.charAt(commentStart))) {
            if (text.charAt(commentStart) == '\n') {
                newlines++;
            }
            commentStart++;
        }
        if (blank && newlines >= 2 && chunk.start() > 0) {
            file.line("");
        }
        int commentEnd = chunk.codeStart();
        while (commentEnd > commentStart && Character.isWhitespace(text.charAt(commentEnd - 1))) {
            commentEnd--;
        }
        if (commentEnd > commentStart) {
            file.copy(cell, commentStart, commentEnd, indent, "", "");
        }
    }

    private static String fresh(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name) || !SourceVersion.isIdentifier(name); i++) {
            name = base + i;
        }
        return name;
    }
}
