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
    private final SerialValues.Limits inputLimits;
    private final SerialValues.Limits outputLimits;
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final java.util.Set<String> objectOutputs;

    /** @param cellLoader the loader of the cell's classes and the session's jars: the notebook's own classes here */
    NodeCellIO(Map<String, String> inputs, Integer arrayIndex, ClassLoader cellLoader) {
        this(inputs, arrayIndex, cellLoader, SerialValues.Limits.DEFAULT.maxBytes(), SerialValues.Limits.DEFAULT.maxBytes(),
                java.util.Set.of());
    }

    /**
     * @param maxInputBytes the byte limit of an input in binary form (the cell's input cap)
     * @param maxOutputBytes the byte limit of an output in binary form (the cell's output cap)
     * @param objectOutputs the --out names declared {@code Object}: written with their type's tag
     */
    NodeCellIO(Map<String, String> inputs, Integer arrayIndex, ClassLoader cellLoader, long maxInputBytes, long maxOutputBytes,
            java.util.Set<String> objectOutputs) {
        this.objectOutputs = objectOutputs;
        this.inputs = inputs;
        this.arrayIndex = arrayIndex == null ? -1 : arrayIndex;
        this.cellLoader = cellLoader;
        this.inputLimits = SerialValues.Limits.ofBytes(maxInputBytes);
        this.outputLimits = SerialValues.Limits.ofBytes(maxOutputBytes);
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
                        inputLimits);
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
        // An array task's value too: the kernel gathers the tasks' values, JSON or binary, into one List.
        outputs.put(name, SerialValues.encode(ValueCodec.standard(), name, value, objectOutputs.contains(name) ? Object.class : null,
                classes(null), outputLimits));
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
