package org.hpckernel.translate;

import com.sun.source.tree.Tree;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.hpckernel.translate.CellSplitter.CellChunk;
import org.hpckernel.translate.SnippetSyntax.Kind;
import org.hpckernel.translate.SnippetSyntax.Parsed;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.CellProgram;
import org.hpckernel.values.TypeCapture;

/**
 * Writes the cell as a {@link CellProgram}: its imports hoisted, its methods and types as static
 * members, and its variables and statements, comments included, in {@code run()} between reading
 * the notebook values it uses and writing its {@code --out} values.
 */
final class CellClassWriter {
    private static final String INDENT = NotebookFiles.INDENT;

    private CellClassWriter() {}

    /** Writes the cell class; returns {inputsStart, inputsEnd, finalStart, epilogueStart}. */
    static int[] write(PreparedCell prepared, CellTranslator.Plan plan, List<String> imports, GeneratedSource.Builder file) {
        JavaNames names = prepared.names;
        SourceText cell = prepared.cell;
        String body = cell.text();
        NotebookFiles.header(file, names, imports, true);
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
                        NotebookFiles.variableSource(variable));
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
                if (!prepared.cellVariables.contains(out)) {
                    continue; // reported by name once the body compiles
                }
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
                    && (parsed.kind() == Kind.METHOD || parsed.typeKind() == Tree.Kind.CLASS);
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
}
