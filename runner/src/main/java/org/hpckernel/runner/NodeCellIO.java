package org.hpckernel.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.NotShippableException;
import org.hpckernel.values.SerialValues;
import org.hpckernel.values.TypeCapture;
import org.hpckernel.values.ValueCodec;

/**
 * The cell's view of the job on the node: the shipped values, decoded on demand as the types the
 * cell declares, and the --out values, encoded when recorded so that a value that cannot travel
 * fails the cell where it is returned. A value in binary form is read with the cell's classes (the
 * cell's jar and the session's jars) through the allow-list filter of {@link SerialValues}.
 */
final class NodeCellIO implements CellIO {
    private final Map<String, String> inputs;
    private final int arrayIndex;
    private final ClassLoader cellLoader;
    private final Map<String, String> outputs = new LinkedHashMap<>();

    /** @param cellLoader the loader of the cell's classes and the session's jars: the notebook's own classes here */
    NodeCellIO(Map<String, String> inputs, Integer arrayIndex, ClassLoader cellLoader) {
        this.inputs = inputs;
        this.arrayIndex = arrayIndex == null ? -1 : arrayIndex;
        this.cellLoader = cellLoader;
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
            if (SerialValues.isSerialized(json)) {
                return (T) SerialValues.decode(json, type.type(), classes(type.getClass().getPackageName()),
                        SerialValues.Limits.DEFAULT);
            }
            return (T) ValueCodec.standard().decode(json, type.type());
        } catch (MalformedValueException e) {
            // Without the decoder's exception as cause: its frames are ours, and its message is here.
            throw new MalformedValueException("cannot read `" + name + "` as " + type.type().getTypeName() + ": "
                    + e.getMessage());
        }
    }

    @Override
    public synchronized void output(String name, Object value) throws NotShippableException {
        if (arrayIndex >= 0) {
            // An array's values are gathered into one List in the kernel, as JSON.
            try {
                outputs.put(name, ValueCodec.standard().encode(name, value));
            } catch (NotShippableException e) {
                if (!(value instanceof java.io.Serializable)) throw e;
                throw new NotShippableException(e.getMessage() + " (It is Serializable, but an array task's --out values are"
                        + " gathered into one List as JSON: they do not travel in binary form.)");
            }
            return;
        }
        outputs.put(name, SerialValues.encode(ValueCodec.standard(), name, value, classes(null), SerialValues.Limits.DEFAULT));
    }

    /** The cell's classes; a notebook type {@code Point} is {@code PACKAGE.Point} in the cell's jar. */
    private SerialValues.Classes classes(String cellPackage) {
        String pkg = cellPackage != null ? cellPackage : org.hpckernel.values.NotebookClassNames.COMPILED_PACKAGE;
        return SerialValues.Classes.definedBy(cellLoader, simpleName -> {
            try {
                Class<?> type = Class.forName(pkg + "." + simpleName, false, cellLoader);
                return type.getClassLoader() == cellLoader ? type : null;
            } catch (ClassNotFoundException e) {
                return null;
            }
        });
    }

    @Override
    public int arrayIndex() {
        return arrayIndex;
    }

    /** The recorded outputs as one JSON object, in the order they were recorded (binary ones in their member). */
    synchronized String outputsJson() {
        return ValueCodec.joinMembers(SerialValues.pack(outputs));
    }

    synchronized boolean hasOutputs() {
        return !outputs.isEmpty();
    }
}
