package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;
import org.hpckernel.translate.CellSplitter.CellChunk;
import org.hpckernel.translate.SnippetSyntax.Kind;
import org.hpckernel.translate.SnippetSyntax.Parsed;

/**
 * A cell and the notebook it runs in, cut into snippets and parsed: everything a translation needs
 * that does not depend on what javac later finds out.
 */
final class PreparedCell {
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
    final boolean allDeclarations;

    /** @param allDeclarations every notebook declaration, not only those the cell reaches */
    PreparedCell(SnippetSyntax syntax, NotebookSnapshot notebook, String body, List<String> outs, ForEachBinding forEach,
            JavaNames names, boolean allDeclarations) {
        this.notebook = notebook;
        this.cell = new SourceText("cell", body);
        this.outs = List.copyOf(outs);
        this.forEach = forEach;
        this.names = names;
        this.allDeclarations = allDeclarations;
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
        if (forEach != null) {
            taken.add(forEach.name());
        }
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

    private static String fresh(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name) || !SourceVersion.isIdentifier(name); i++) {
            name = base + i;
        }
        return name;
    }
}
