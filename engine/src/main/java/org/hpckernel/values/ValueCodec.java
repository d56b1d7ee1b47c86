package org.hpckernel.values;

import java.lang.reflect.Type;

/**
 * Encodes notebook values as JSON (Gson) and decodes them by declared type, the same way in the
 * kernel and on the node. The JSON carries no class names: a record declared in the notebook is
 * its components by name, so a value still binds after a kernel restart or a redefinition.
 *
 * <p>CONTRACT STUB: implemented by the values work; signatures are fixed.
 */
public final class ValueCodec {
    private ValueCodec() {}

    /** The codec with the default limits (nesting depth, string and document sizes). */
    public static ValueCodec standard() {
        return new ValueCodec();
    }

    /**
     * The value as JSON. Refuses (naming {@code name}, the path inside the value, the type, why and
     * what to do instead) anything outside the portable set.
     */
    public String encode(String name, Object value) throws NotShippableException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The JSON decoded as {@code type}; malformed or hostile input is refused, never executed. */
    public Object decode(String json, Type type) throws MalformedValueException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
