package org.hpckernel.hpc;

import java.util.List;
import org.hpckernel.translate.CompiledCell;

/**
 * What a job carries besides its script: the compiled classes of a Java cell (null for a #!
 * cell), the notebook values shipped with it, and what it returns.
 *
 * @param maxInputBytes the cell's input cap, which also bounds a value in binary form read on the node
 */
public record CellValues(CompiledCell compiled, List<EncodedValue> inputs, ReturnPlan returns, long maxInputBytes) {
    public CellValues {
        inputs = List.copyOf(inputs);
    }

    public CellValues(CompiledCell compiled, List<EncodedValue> inputs, ReturnPlan returns) {
        this(compiled, inputs, returns, org.hpckernel.hpc.config.ValueCaps.DEFAULT_MAX_INPUT);
    }

    /** A #! cell that takes and returns nothing. */
    public static CellValues none() {
        return new CellValues(null, List.of(), new ReturnPlan(true, List.of(), null));
    }
}
