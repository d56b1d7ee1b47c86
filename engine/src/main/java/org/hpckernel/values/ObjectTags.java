package org.hpckernel.values;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The type of a value held where it is declared {@code Object} (a field or record component, the
 * elements of a {@code List<Object>}, the values of a {@code Map<String, Object>}, anything inside
 * such a value), where plain JSON would not give it back as itself: JSON reads {@code 5L} as an
 * Integer, {@code 'x'} and a {@code LocalDate} as Strings, a Set as a List. Such a value is written
 * as a one-member object naming its type by a fixed tag, and the rest stays plain JSON:
 * <pre>
 * {"@Long": 5}  {"@Short": 2}  {"@Byte": 1}  {"@Float": 1.5}  {"@Double": "NaN"}  {"@Character": "x"}
 * {"@BigInteger": 123}  {"@BigDecimal": 1.50}  {"@LocalDate": "2024-02-29"} (each java.time type,
 * UUID, URI, Path by its simple name)  {"@Set": [1, 2]}  {"@Map": {"@odd": 1}}
 * </pre>
 * Integer, finite Double, Boolean, String, List and Map with String keys come back as themselves and
 * are not tagged; a Map whose first key starts with "@" is wrapped in {@code "@Map"} so that its key
 * is never taken for a tag. Only these tags are honoured (no class is looked up by a name in the
 * input); an object whose first key is another "@" name is a plain map, as older kernels, which
 * wrote no tags, meant it.
 */
final class ObjectTags {
    static final String MAP = "@Map";
    static final String SET = "@Set";
    private static final Map<String, Class<?>> SCALARS = scalars();

    private ObjectTags() {}

    private static Map<String, Class<?>> scalars() {
        Map<String, Class<?>> tags = new LinkedHashMap<>();
        for (Class<?> type : new Class<?>[] {Long.class, Short.class, Byte.class, Float.class, Double.class,
                Character.class, BigInteger.class, BigDecimal.class}) {
            tags.put("@" + type.getSimpleName(), type);
        }
        for (Class<?> type : TextValues.types()) {
            tags.put("@" + type.getSimpleName(), type);
        }
        return Map.copyOf(tags);
    }

    /** True when {@code declared} is {@code Object} itself: the JSON's own types are what a reader builds. */
    static boolean isObject(Type declared) {
        return declared == Object.class;
    }

    /**
     * The static type of a container's elements ({@code index} 0; a map's values: 1), given the
     * container's: Object inside a value declared Object (as a reader of it sees them), else the
     * type argument, or null when not known.
     */
    static Type element(Type declared, int index) {
        if (declared == Object.class) {
            return Object.class;
        }
        if (declared instanceof ParameterizedType p && index < p.getActualTypeArguments().length) {
            return p.getActualTypeArguments()[index];
        }
        if (declared instanceof Class<?> c && c.isArray()) {
            return c.getComponentType();
        }
        if (declared instanceof GenericArrayType a) {
            return a.getGenericComponentType();
        }
        return null;
    }

    /** The tag of a value declared Object, or null when plain JSON gives it back as itself. */
    static String tagOf(Object value) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type == Double.class) {
            return Double.isFinite((Double) value) ? null : "@Double";
        }
        String tag = "@" + type.getSimpleName();
        if (SCALARS.get(tag) == type) {
            return tag;
        }
        for (Class<?> text : TextValues.types()) {
            // ZoneId.of gives a ZoneRegion, Path.of a UnixPath: tagged by the type that reads them.
            if (text.isInstance(value)) {
                return "@" + text.getSimpleName();
            }
        }
        if (value instanceof Set<?>) {
            return SET;
        }
        if (value instanceof Map<?, ?> map && !map.isEmpty() && map.keySet().iterator().next() instanceof String key
                && key.startsWith("@") && map.keySet().stream().allMatch(k -> k instanceof String)) {
            return MAP;
        }
        return null;
    }

    /** True when an object's first key is a tag: the object is the tagged value. */
    static boolean isTag(String key) {
        return SCALARS.containsKey(key) || key.equals(SET) || key.equals(MAP);
    }

    /** The type a scalar tag names, or null for {@link #SET} and {@link #MAP}. */
    static Class<?> scalarType(String tag) {
        return SCALARS.get(tag);
    }

    /** Every tag, for an error message. */
    static Collection<String> tags() {
        return new java.util.TreeSet<>(SCALARS.keySet());
    }
}
