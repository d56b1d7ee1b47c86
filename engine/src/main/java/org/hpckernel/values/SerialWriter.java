package org.hpckernel.values;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.function.Predicate;

/**
 * Writes a value with Java serialization, refusing as it goes any class the reading side's filter
 * would reject ({@link SerialAllowList}) and any member that is not Serializable, so that a value
 * that cannot arrive is refused where it is written, with its class named.
 */
final class SerialWriter extends ObjectOutputStream {
    /**
     * Unchecked on purpose: ObjectOutputStream answers an IOException by serializing that exception
     * into the stream, which the allow-list would refuse in turn, hiding the first reason.
     */
    static final class Refused extends RuntimeException {
        final Class<?> type;
        final boolean serializable;

        Refused(Class<?> type, boolean serializable) {
            super(type.getName(), null, false, false);
            this.type = type;
            this.serializable = serializable;
        }
    }

    private final Predicate<Class<?>> own;

    SerialWriter(OutputStream out, Predicate<Class<?>> own) throws IOException {
        super(out);
        this.own = own;
        enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object value) {
        if (!(value instanceof Serializable)) {
            throw new Refused(value.getClass(), false);
        }
        return value;
    }

    @Override
    protected void annotateClass(Class<?> type) {
        if (!SerialAllowList.allows(type, own)) {
            throw new Refused(type, true);
        }
    }

    @Override
    protected void annotateProxyClass(Class<?> type) {
        throw new Refused(type, true);
    }
}
