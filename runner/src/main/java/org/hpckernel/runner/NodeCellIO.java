package org.hpckernel.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.NotShippableException;
import org.hpckernel.values.TypeCapture;
import org.hpckernel.values.ValueCodec;

/**
 * The cell's view of the job on the node: the shipped values, decoded on demand as the types the
 * cell declares, and the --out values, encoded when recorded so that a value that cannot travel
 * fails the cell where it is returned.
 */
final class NodeCellIO implements CellIO {
    private final Map<String, String> inputs;
    private final int arrayIndex;
    private final Map<String, String> outputs = new LinkedHashMap<>();

    NodeCellIO(Map<String, String> inputs, Integer arrayIndex) {
        this.inputs = inputs;
        this.arrayIndex = arrayIndex == null ? -1 : arrayIndex;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T input(String name, TypeCapture<T> type) throws MalformedValueException {
        String json = inputs.get(name);
        if (json == null) {
            throw new MalformedValueException("the job has no value for `" + name + "` (" + JobLayout.INPUTS + " has "
                    + (inputs.isEmpty() ? "none" : String.join(", ", new TreeSet<>(inputs.keySet()))) + ")");
        }
        try {
            return (T) ValueCodec.standard().decode(json, type.type());
        } catch (MalformedValueException e) {
            // Without the decoder's exception as cause: its frames are ours, and its message is here.
            throw new MalformedValueException("cannot read `" + name + "` as " + type.type().getTypeName() + ": "
                    + e.getMessage());
        }
    }

    @Override
    public synchronized void output(String name, Object value) throws NotShippableException {
        outputs.put(name, ValueCodec.standard().encode(name, value));
    }

    @Override
    public int arrayIndex() {
        return arrayIndex;
    }

    /** The recorded outputs as one JSON object, in the order they were recorded. */
    synchronized String outputsJson() {
        return ValueCodec.joinMembers(outputs);
    }

    synchronized boolean hasOutputs() {
        return !outputs.isEmpty();
    }
}
