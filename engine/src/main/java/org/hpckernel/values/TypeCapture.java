package org.hpckernel.values;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type kept at run time: {@code new TypeCapture<List<Point>>() {}}. Generated code (on the
 * node) and the kernel's JShell session (when binding outputs) both use it, each with its own
 * classes for the notebook's types.
 */
public abstract class TypeCapture<T> {
    private final Type type;

    protected TypeCapture() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalStateException("TypeCapture needs a type argument: new TypeCapture<List<String>>() {}");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    public final Type type() {
        return type;
    }
}
