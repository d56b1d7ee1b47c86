package org.hpckernel.hpc;

import java.util.List;
import org.hpckernel.translate.CompiledCell;

/**
 * What a job carries besides its script: the compiled classes of a Java cell (null for a #!
 * cell), the notebook values shipped with it, and what it returns.
 */
public record CellValues(CompiledCell compiled, List<EncodedValue> inputs, ReturnPlan returns) {
    public CellValues {
        inputs = List.copyOf(inputs);
    }

    /** A #! cell that takes and returns nothing. */
    public static CellValues none() {
        return new CellValues(null, List.of(), new ReturnPlan(true, List.of(), null));
    }
}
