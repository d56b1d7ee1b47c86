package org.hpckernel.translate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;

/**
 * Turns the notebook's declarations and one cell into plain Java files: each notebook type in its
 * own file, the notebook's methods and the variables the cell uses in one class, and the cell as a
 * {@link org.hpckernel.values.CellProgram}. The kernel compiles these before submitting a cell;
 * export writes them out.
 */
final class CellTranslator {
    /**
     * The choices a translation leaves open until javac has looked at the cell.
     *
     * @param fields the notebook variables declared as fields and read from the job's inputs
     * @param declarations the notebook declarations translated (indexes in the snapshot)
     * @param finalAsStatement the final expression written as a statement (a void call)
     * @param epilogue outputs and return after the body (false when the body cannot complete)
     */
    record Plan(Set<String> fields, List<Integer> declarations, boolean finalAsStatement, boolean epilogue) {}

    /** The generated files, and the places in the cell's file the compiler looks at again. */
    record Rendered(Map<String, GeneratedSource> files, String cellFile, CellClassWriter.Places places) {
        int inputsStart() {
            return places.inputsStart();
        }

        int inputsEnd() {
            return places.inputsEnd();
        }

        int finalStart() {
            return places.finalStart();
        }

        int finalEnd() {
            return places.finalEnd();
        }

        int epilogueStart() {
            return places.epilogueStart();
        }
    }

    private final SnippetSyntax syntax;

    CellTranslator(JavaCompiler compiler, StandardJavaFileManager fileManager) {
        this.syntax = new SnippetSyntax(compiler, fileManager);
    }

    /** @param allDeclarations every notebook declaration, not only those the cell reaches */
    PreparedCell prepare(NotebookSnapshot notebook, String body, List<String> outs, ForEachBinding forEach, JavaNames names,
            boolean allDeclarations) {
        return new PreparedCell(syntax, notebook, body, outs, forEach, names, allDeclarations);
    }

    Rendered render(PreparedCell prepared, Plan plan) {
        Map<String, GeneratedSource> files = new LinkedHashMap<>();
        JavaNames names = prepared.names;
        List<String> imports = NotebookFiles.imports(prepared.notebook);
        for (int index : plan.declarations()) {
            NotebookSnapshot.Declaration declaration = prepared.notebook.declarations().get(index);
            if (declaration.kind() == NotebookSnapshot.Kind.TYPE) {
                GeneratedSource source = NotebookFiles.typeFile(names, imports, declaration,
                        prepared.parsedDeclarations.get(index));
                files.put(source.fileName(), source);
            }
        }
        GeneratedSource notebookFile = NotebookFiles.notebookFile(prepared, plan, imports);
        files.put(notebookFile.fileName(), notebookFile);
        GeneratedSource.Builder cell = GeneratedSource.builder(names.cellClass() + ".java");
        CellClassWriter.Places places = CellClassWriter.write(prepared, plan, imports, cell);
        GeneratedSource cellFile = cell.build();
        files.put(cellFile.fileName(), cellFile);
        return new Rendered(files, cellFile.fileName(), places);
    }
}
