package org.hpckernel.export;

import java.util.List;
import java.util.Map;
import org.hpckernel.translate.NotebookSnapshot;

/** {@link SourceTranslation} by org.hpckernel.translate, the translation the kernel compiles %%hpc cells with. */
final class SharedTranslation implements SourceTranslation {
    @Override
    public Map<String, String> notebook(NotebookSnapshot notebook, String packageName, String notebookClass) throws ExportException {
        throw new UnsupportedOperationException("pending translate");
    }

    @Override
    public Map<String, String> cell(NotebookSnapshot notebook, String packageName, String notebookClass, String cellClass,
            String body, List<String> outs, String forEach) throws ExportException {
        throw new UnsupportedOperationException("pending translate");
    }
}
