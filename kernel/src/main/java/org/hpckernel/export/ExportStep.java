package org.hpckernel.export;

import java.util.List;
import org.hpckernel.export.NotebookDocument.Cell;

/** What one code cell becomes in the exported project. */
public sealed interface ExportStep {
    Cell cell();

    /** The results directory and class stem of the cell: {@code cell07}. */
    default String dirName() {
        return String.format("cell%02d", cell().number());
    }

    default String className() {
        return String.format("Cell%02d", cell().number());
    }

    /**
     * A plain cell that computes values later cells use: run by submit.sh before any job.
     *
     * @param outs the variables it declares that later cells read
     */
    record Setup(Cell cell, String body, List<String> outs) implements ExportStep {}

    /** A Java %%hpc cell: a class with a main, submitted as a job. */
    record JavaJob(Cell cell, List<String> options, String body, List<String> outs, String forEach) implements ExportStep {
        public String forName() {
            return forEach == null ? null : forEach.substring(0, forEach.indexOf(':'));
        }

        public String forList() {
            return forEach == null ? null : forEach.substring(forEach.indexOf(':') + 1);
        }
    }

    /** A shebang %%hpc cell: its script as it is, submitted as a job. */
    record ShellJob(Cell cell, List<String> options, String script) implements ExportStep {}

    /** Declarations only (types, methods, imports): they live in the project's sources. */
    record Declarations(Cell cell) implements ExportStep {}

    /** A cell that cannot be production code, and why. */
    record LeftOut(Cell cell, String reason) implements ExportStep {}
}
