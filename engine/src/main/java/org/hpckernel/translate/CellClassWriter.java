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
    private static final String BODY = INDENT + INDENT;

    private CellClassWriter() {}

    /** Where, in the cell's file, the compiler looks again; -1 for what the file does not have. */
    record Places(int inputsStart, int inputsEnd, int finalStart, int finalEnd, int epilogueStart) {}

    static Places write(PreparedCell prepared, CellTranslator.Plan plan, List<String> imports, GeneratedSource.Builder file) {
        NotebookFiles.header(file, prepared.names, imports, true);
        for (int i = 0; i < prepared.chunks.size(); i++) {
            CellChunk chunk = prepared.chunks.get(i);
            if (prepared.chunkSyntax(i).kind() == Kind.IMPORT) {
                trivia(file, prepared.cell, chunk, "", false);
                file.copy(prepared.cell, chunk.codeStart(), chunk.codeEnd(), "", "", ending(chunk));
            }
        }
        file.line("import " + CellIO.class.getName() + ";");
        file.line("import " + CellProgram.class.getName() + ";");
        file.line("import " + TypeCapture.class.getName() + ";");
        file.line("");
        file.line("public final class " + prepared.names.cellClass() + " implements " + CellProgram.class.getSimpleName() + " {");
        file.line(INDENT + "@Override");
        file.line(INDENT + "public Object run(" + CellIO.class.getSimpleName() + " " + prepared.ioName + ") throws Throwable {");
        int inputsStart = file.offset();
        writeInputs(prepared, plan, file);
        int inputsEnd = file.offset();
        writeForEach(prepared, file);
        if (file.offset() > inputsStart) {
            file.line("");
        }
        int[] finalRange = writeBody(prepared, plan, file);
        int epilogueStart = writeEpilogue(prepared, plan, file);
        file.line(INDENT + "}");
        writeMembers(prepared, file);
        file.line("}");
        return new Places(inputsStart, inputsEnd, finalRange[0], finalRange[1], epilogueStart);
    }

    private static void writeInputs(PreparedCell prepared, CellTranslator.Plan plan, GeneratedSource.Builder file) {
        for (NotebookSnapshot.Variable variable : prepared.notebook.variables()) {
            if (plan.fields().contains(variable.name())) {
                file.line(BODY + variable.name() + " = " + prepared.ioName + ".input(\"" + variable.name() + "\", new "
                        + TypeCapture.class.getSimpleName() + "<" + TypeText.boxed(variable.type()) + ">() {});",
                        NotebookFiles.variableSource(variable));
            }
        }
    }

    private static void writeForEach(PreparedCell prepared, GeneratedSource.Builder file) {
        ForEachBinding forEach = prepared.forEach;
        if (forEach != null) {
            String index = prepared.ioName + ".arrayIndex()";
            file.line(BODY + forEach.elementType() + " " + forEach.name() + " = " + forEach.list()
                    + (forEach.array() ? "[" + index + "]" : ".get(" + index + ")") + ";",
                    new SourceText("--for", "--for " + forEach.name() + ":" + forEach.list()));
        }
    }

    /** The cell's variables and statements; returns {start, end} of the final expression, or -1s. */
    private static int[] writeBody(PreparedCell prepared, CellTranslator.Plan plan, GeneratedSource.Builder file) {
        SourceText cell = prepared.cell;
        String body = cell.text();
        int[] finalRange = {-1, -1};
        for (int i = 0; i < prepared.chunks.size(); i++) {
            Kind kind = prepared.chunkSyntax(i).kind();
            if (kind == Kind.IMPORT || kind == Kind.METHOD || kind == Kind.TYPE) {
                continue;
            }
            CellChunk chunk = prepared.chunks.get(i);
            trivia(file, cell, chunk, BODY, true);
            if (chunk.commentOnly()) {
                continue;
            }
            if (i != prepared.finalChunk) {
                file.copy(cell, chunk.codeStart(), chunk.codeEnd(), BODY, "", ending(chunk));
                continue;
            }
            int end = chunk.codeEnd();
            while (end > chunk.codeStart() && (body.charAt(end - 1) == ';' || Character.isWhitespace(body.charAt(end - 1)))) {
                end--;
            }
            String prefix = plan.finalAsStatement() ? "" : prepared.outs.isEmpty() ? "return " : "Object " + prepared.valueName + " = ";
            finalRange[0] = file.offset() + BODY.length() + prefix.length();
            file.copy(cell, chunk.codeStart(), end, BODY, prefix, ";" + chunk.trailingComment());
            finalRange[1] = file.offset();
        }
        return finalRange;
    }

    /** The {@code --out} values and the return, unless the final expression already returned; its start or -1. */
    private static int writeEpilogue(PreparedCell prepared, CellTranslator.Plan plan, GeneratedSource.Builder file) {
        boolean value = prepared.finalChunk >= 0 && !plan.finalAsStatement();
        if (!plan.epilogue() || (value && prepared.outs.isEmpty())) {
            return -1;
        }
        int start = file.offset();
        for (String out : prepared.outs) {
            if (prepared.cellVariables.contains(out)) { // else reported by name once the body compiles
                file.line(BODY + prepared.ioName + ".output(\"" + out + "\", " + out + ");",
                        new SourceText("--out " + out, "--out " + out));
            }
        }
        file.line(BODY + "return " + (value ? prepared.valueName : CellIO.class.getSimpleName() + ".NO_VALUE") + ";",
                new SourceText("cell", ""));
        return start;
    }

    /** Methods and types declared in the cell, as static members, in the cell's order. */
    private static void writeMembers(PreparedCell prepared, GeneratedSource.Builder file) {
        for (int i = 0; i < prepared.chunks.size(); i++) {
            Parsed parsed = prepared.chunkSyntax(i);
            if (parsed.kind() != Kind.METHOD && parsed.kind() != Kind.TYPE) {
                continue;
            }
            CellChunk chunk = prepared.chunks.get(i);
            file.line("");
            trivia(file, prepared.cell, chunk, INDENT, false);
            boolean needsStatic = !parsed.modifiers().flags().contains(Modifier.STATIC)
                    && (parsed.kind() == Kind.METHOD || parsed.typeKind() == Tree.Kind.CLASS);
            file.copy(prepared.cell, chunk.codeStart(), chunk.codeEnd(), INDENT, needsStatic ? "static " : "", ending(chunk));
        }
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
