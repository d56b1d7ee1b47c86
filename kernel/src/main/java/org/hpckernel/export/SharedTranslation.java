package org.hpckernel.export;

import java.util.List;
import java.util.Map;
import org.hpckernel.translate.CellCompileException;
import org.hpckernel.translate.CellCompiler;
import org.hpckernel.translate.JavaNames;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * {@link SourceTranslation} by org.hpckernel.translate's {@link CellCompiler}: the translation the
 * kernel compiles %%hpc cells with, so the project and the jobs never disagree.
 */
final class SharedTranslation implements SourceTranslation {
    private final CellCompiler compiler;
    private final Map<String, java.util.Set<String>> inputs = new java.util.HashMap<>();

    SharedTranslation(List<String> classpath) {
        this.compiler = new CellCompiler(classpath);
    }

    @Override
    public Map<String, String> notebook(NotebookSnapshot notebook, String packageName, String notebookClass) throws ExportException {
        // An empty cell reaches every declaration and no variable: the types and the methods' class.
        Map<String, String> files = new java.util.LinkedHashMap<>(translate(notebook, packageName, notebookClass, "EmptyCell", "", List.of(), null, 0));
        files.remove("EmptyCell.java");
        return files;
    }

    @Override
    public Map<String, String> cell(NotebookSnapshot notebook, String packageName, String notebookClass, String cellClass,
            String body, List<String> outs, String forEach, int cellNumber) throws ExportException {
        return translate(notebook, packageName, notebookClass, cellClass, body, outs, forEach, cellNumber);
    }

    @Override
    public java.util.Set<String> inputs(NotebookSnapshot notebook, String body, String forEach, int cellNumber) throws ExportException {
        String key = forEach + "\n" + body;
        java.util.Set<String> known = inputs.get(key);
        if (known != null) return known;
        try {
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (NotebookSnapshot.Variable v : compiler.compile(notebook, body, List.of(), forEach).inputs()) names.add(v.name());
            inputs.put(key, names);
            return names;
        } catch (CellCompileException e) {
            throw failure(e, cellNumber);
        }
    }

    private Map<String, String> translate(NotebookSnapshot notebook, String packageName, String notebookClass, String cellClass,
            String body, List<String> outs, String forEach, int cellNumber) throws ExportException {
        try {
            return compiler.compile(notebook, body, outs, forEach, new JavaNames(packageName, notebookClass, cellClass), true).sources();
        } catch (CellCompileException e) {
            throw failure(e, cellNumber);
        }
    }

    private static ExportException failure(CellCompileException e, int cellNumber) {
        StringBuilder why = new StringBuilder(cellNumber > 0 ? "cell " + cellNumber : "the notebook's declarations");
        why.append(" does not compile as plain Java: ").append(e.getMessage());
        for (CellCompileException.Problem p : e.problems()) {
            why.append("\n  ").append(p.where()).append(" line ").append(p.line()).append(':').append(p.column()).append(": ")
                    .append(p.message());
        }
        return new ExportException(why.toString());
    }
}
