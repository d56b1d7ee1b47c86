package org.hpckernel.magic;

import java.util.List;
import org.hpckernel.display.MimeBundle;

/**
 * {@code %hpc export}: implemented above the magics (org.hpckernel.export reads cells with the
 * magic parser), and handed to them when the kernel builds its magics.
 */
public interface NotebookExporter {
    MimeBundle export(List<String> args, MagicContext context) throws Exception;

    /** For sessions built without one. */
    NotebookExporter NONE = (args, context) -> {
        throw MagicException.usage("%hpc export is not available in this session; export headless with"
                + " `java -jar hpc-kernel.jar export NOTEBOOK.ipynb DIR`");
    };
}
