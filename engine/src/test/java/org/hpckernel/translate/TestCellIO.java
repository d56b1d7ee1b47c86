package org.hpckernel.translate;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.TypeCapture;

/** A CellIO over maps: what the node's runner does, without files or encoding. */
final class TestCellIO implements CellIO {
    final Map<String, Object> inputs;
    final Map<String, Type> requestedTypes = new LinkedHashMap<>();
    final Map<String, Object> outputs = new LinkedHashMap<>();
    private final int arrayIndex;

    TestCellIO(Map<String, Object> inputs, int arrayIndex) {
        this.inputs = inputs;
        this.arrayIndex = arrayIndex;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T input(String name, TypeCapture<T> type) {
        if (!inputs.containsKey(name)) {
            throw new AssertionError("the cell asked for " + name + ", which the test did not provide");
        }
        requestedTypes.put(name, type.type());
        return (T) inputs.get(name);
    }

    @Override
    public void output(String name, Object value) {
        outputs.put(name, value);
    }

    @Override
    public int arrayIndex() {
        return arrayIndex;
    }
}
