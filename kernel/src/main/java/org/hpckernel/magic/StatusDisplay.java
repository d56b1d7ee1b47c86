package org.hpckernel.magic;

import java.util.UUID;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;

/** A cell's one status line: shown when the cell starts its work, then updated in place to its end. */
final class StatusDisplay {
    private final CellOutput output;
    private final String id = UUID.randomUUID().toString();
    private volatile boolean shown;

    StatusDisplay(CellOutput output) {
        this.output = output;
    }

    void show(MimeBundle line) {
        output.display(line, id, shown);
        shown = true;
    }

    boolean shown() {
        return shown;
    }

    /** The display id that updates replace. */
    String id() {
        return id;
    }
}
