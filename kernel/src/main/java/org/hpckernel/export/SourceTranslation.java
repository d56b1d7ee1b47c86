package org.hpckernel.export;

import java.util.List;
import java.util.Map;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * The translation of notebook declarations and cells into plain Java that the kernel uses to
 * compile %%hpc cells (org.hpckernel.translate), as the export calls it: sources by path under
 * src/main/java.
 */
interface SourceTranslation {
    /** Each notebook type in its own file, the notebook's methods as static methods of {@code notebookClass}. */
    Map<String, String> notebook(NotebookSnapshot notebook, String packageName, String notebookClass) throws ExportException;

    /** The cell as a class {@code cellClass} implementing CellProgram (and any helper files it needs). */
    Map<String, String> cell(NotebookSnapshot notebook, String packageName, String notebookClass, String cellClass,
            String body, List<String> outs, String forEach, int cellNumber) throws ExportException;

    /** The notebook variables the cell reads: what the kernel ships to its job. */
    java.util.Set<String> inputs(NotebookSnapshot notebook, String body, String forEach, int cellNumber) throws ExportException;
}
