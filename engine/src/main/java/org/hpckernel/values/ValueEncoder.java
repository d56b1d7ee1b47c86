package org.hpckernel.values;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Writes one value as JSON, walking it and refusing, with the path inside the value, anything
 * outside the portable set. One instance per {@link ValueCodec#encode} call.
 */
final class ValueEncoder {
    static final int LONGEST_NUMBER_LITERAL = 1000;
    /** From this length on a string inside a value is checked for the plain case first (see {@link PlainStrings}). */
    private static final int LONG_STRING = 1024;

    private final ValueCodec.Limits limits;
    private final String name;
    private final JsonWriter out;
    private final Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

    private ValueEncoder(ValueCodec.Limits limits, String name, JsonWriter out) {
        this.limits = limits;
        this.name = name;
        this.out = out;
    }

    /** Where a value sits inside the variable, built as the walk goes and spelled only for a refusal. */
    private record At(At parent, String name, String field, int index, boolean key) {
        static At root(String name) {
            return new At(null, name, null, -1, false);
        }

        At field(String field) {
            return new At(this, null, field, -1, false);
        }

        At index(int index) {
            return new At(this, null, null, index, false);
        }

        At mapKey(String key) {
            return new At(this, null, "[\"" + key + "\"]", -1, true);
        }

        At pair(int index, boolean isKey) {
            return new At(this, null, isKey ? ".keys" : ".values", index, true);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return name;
            }
            String base = parent.toString();
            if (key) {
                return base + field + (index >= 0 ? "[" + index + "]" : "");
            }
            return field != null ? base + "." + field : base + "[" + index + "]";
        }
    }

    static String encode(ValueCodec.Limits limits, String name, Object value) throws NotShippableException {
        return encode(limits, name, value, null);
    }

    /** @param declared the variable's declared type when it is {@code Object} (then tagged as a field would be), else null */
    static String encode(ValueCodec.Limits limits, String name, Object value, Type declared) throws NotShippableException {
        if (value instanceof String text && text.length() <= limits.maxStringChars()) {
            String quoted = PlainStrings.quoted(text);
            if (quoted != null && quoted.length() <= limits.maxDocumentChars()) {
                return quoted;
            }
        }
        BoundedWriter text = new BoundedWriter(limits.maxDocumentChars());
        JsonWriter out = new JsonWriter(text);
        out.setSerializeNulls(true);
        try {
            new ValueEncoder(limits, name, out).value(value, declared, At.root(name), 0);
            out.flush();
        } catch (BoundedWriter.Full e) {
            throw new NotShippableException("cannot ship `" + name + "`: its JSON is longer than the limit of "
                    + limits.maxDocumentChars() + " characters. Write it to a file on the cluster's file system"
                    + " and pass the file's path instead.");
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return text.toString();
    }

    private void value(Object value, At path, int depth) throws NotShippableException, IOException {
        value(value, null, path, depth);
    }

    /**
     * @param declared the value's static type where it is known (a field's, an element's of a
     *     declared collection): a value declared {@code Object} is written with its type's tag
     *     when plain JSON would not give it back as itself ({@link ObjectTags})
     */
    private void value(Object value, Type declared, At path, int depth) throws NotShippableException, IOException {
        String tag = ObjectTags.isObject(declared) ? ObjectTags.tagOf(value) : null;
        if (tag != null) {
            tagged(tag, value, path, depth);
            return;
        }
        if (value == null) {
            out.nullValue();
            return;
        }
        Class<?> type = value.getClass();
        if (value instanceof String text) {
            string(text, path);
        } else if (value instanceof Boolean b) {
            out.value(b);
        } else if (value instanceof Character c) {
            string(c.toString(), path);
        } else if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class) {
            out.value(((Number) value).longValue());
        } else if (type == Double.class || type == Float.class) {
            floating((Number) value);
        } else if (type == BigInteger.class || type == BigDecimal.class) {
            String text = value.toString();
            if (text.length() > LONGEST_NUMBER_LITERAL) {
                // Gson reads number literals of up to 1023 characters; longer ones travel as strings.
                string(text, path);
            } else {
                out.value((Number) value);
            }
        } else if (value instanceof Enum<?> constant) {
            out.value(constant.name());
        } else if (TextValues.isText(value)) {
            string(value.toString(), path);
        } else if (value instanceof Optional<?> optional) {
            if (optional.orElse(null) instanceof Optional<?>) {
                throw refuse(path, type, "an Optional inside an Optional, which JSON cannot tell from an empty one",
                        "Unwrap one level.");
            }
            value(optional.orElse(null), path, depth);
        } else if (value instanceof OptionalInt o) {
            value(o.isPresent() ? o.getAsInt() : null, path, depth);
        } else if (value instanceof OptionalLong o) {
            value(o.isPresent() ? o.getAsLong() : null, path, depth);
        } else if (value instanceof OptionalDouble o) {
            value(o.isPresent() ? o.getAsDouble() : null, path, depth);
        } else {
            container(value, type, declared, path, depth);
        }
    }

    /** {"@Long": 5}: one more level of nesting, counted as a container's. */
    private void tagged(String tag, Object value, At path, int depth) throws NotShippableException, IOException {
        if (depth >= limits.maxDepth()) {
            throw refuse(path, value.getClass(), "nested deeper than " + limits.maxDepth() + " levels",
                    "Flatten the structure, or write it to a file on the cluster and pass its path.");
        }
        out.beginObject();
        out.name(tag);
        if (tag.equals(ObjectTags.SET) || tag.equals(ObjectTags.MAP)) {
            container(value, value.getClass(), Object.class, path, depth + 1);
        } else {
            value(value, null, path, depth + 1);
        }
        out.endObject();
    }

    private void container(Object value, Class<?> type, Type declared, At path, int depth)
            throws NotShippableException, IOException {
        PortableSet.Refusal refusal = PortableSet.byKind(value);
        if (refusal != null) {
            throw refuse(path, type, refusal.why(), refusal.instead());
        }
        if (onPath.contains(value)) {
            throw refuse(path, type, "a reference back to a value that contains it (a cycle), which JSON cannot express",
                    "Ship the data without the back-reference.");
        }
        if (depth >= limits.maxDepth()) {
            throw refuse(path, type, "nested deeper than " + limits.maxDepth() + " levels",
                    "Flatten the structure, or write it to a file on the cluster and pass its path.");
        }
        onPath.add(value);
        if (type.isArray()) {
            out.beginArray();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                value(Array.get(value, i), ObjectTags.element(declared, 0), path.index(i), depth + 1);
            }
            out.endArray();
        } else if (value instanceof Collection<?> collection) {
            if (value instanceof SortedSet<?> sorted && sorted.comparator() != null) {
                throw refuse(path, type, "a sorted set with its own Comparator (code, which does not travel)",
                        "Ship it as a List (new ArrayList<>(set)) and sort it inside the cell.");
            }
            out.beginArray();
            int i = 0;
            for (Object element : collection) {
                value(element, ObjectTags.element(declared, 0), path.index(i++), depth + 1);
            }
            out.endArray();
        } else if (value instanceof Map<?, ?> map) {
            map(map, type, declared, path, depth);
        } else if (PortableSet.isJdk(type)) {
            PortableSet.Refusal notPortable = PortableSet.notPortable();
            throw refuse(path, type, notPortable.why(), notPortable.instead());
        } else {
            object(value, type, path, depth);
        }
        onPath.remove(value);
    }

    /** String keys make a JSON object; any other key makes the map a list of [key, value] pairs. */
    private void map(Map<?, ?> map, Class<?> type, Type declared, At path, int depth) throws NotShippableException, IOException {
        if (map instanceof SortedMap<?, ?> sorted && sorted.comparator() != null) {
            throw refuse(path, type, "a sorted map with its own Comparator (code, which does not travel)",
                    "Ship it as a LinkedHashMap (new LinkedHashMap<>(map)) and sort it inside the cell.");
        }
        boolean stringKeys = map.keySet().stream().allMatch(k -> k instanceof String);
        if (stringKeys) {
            out.beginObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = (String) entry.getKey();
                checkLength(key, path);
                out.name(key);
                value(entry.getValue(), ObjectTags.element(declared, 1), path.mapKey(key), depth + 1);
            }
            out.endObject();
            return;
        }
        out.beginArray();
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.beginArray();
            value(entry.getKey(), ObjectTags.element(declared, 0), path.pair(i, true), depth + 2);
            value(entry.getValue(), ObjectTags.element(declared, 1), path.pair(i, false), depth + 2);
            out.endArray();
            i++;
        }
        out.endArray();
    }

    /** A record by its components, a class of the notebook by its fields; names only, no class name. */
    private void object(Object value, Class<?> type, At path, int depth) throws NotShippableException, IOException {
        ObjectShape shape;
        try {
            shape = ObjectShape.of(type);
        } catch (IllegalArgumentException e) {
            throw refuse(path, type, e.getMessage(), "Declare the data as a record.");
        }
        if (shape.constructor() == null) {
            throw refuse(path, type, "a class without a no-argument constructor, which decoding needs",
                    "Declare it as a record, or give it a no-argument constructor.");
        }
        out.beginObject();
        for (int i = 0; i < shape.size(); i++) {
            Field field = shape.field(i);
            Object fieldValue;
            try {
                fieldValue = field.get(value);
            } catch (IllegalAccessException e) {
                throw refuse(path, type, "its field " + field.getName() + " cannot be read (" + e.getMessage() + ")",
                        "Declare the data as a record in the notebook.");
            }
            At fieldPath = path.field(shape.name(i));
            checkDeclared(field, fieldValue, fieldPath);
            out.name(shape.name(i));
            value(fieldValue, field.getGenericType(), fieldPath, depth + 1);
        }
        out.endObject();
    }

    /**
     * The JSON names no classes, so a record, class or enum must sit in a field of its own type to
     * come back as itself: in an {@code Object} or interface field it could not be rebuilt.
     */
    private void checkDeclared(Field field, Object value, At path) throws NotShippableException {
        if (value == null || field.getType() == value.getClass() || field.getType().isPrimitive()) {
            return;
        }
        Class<?> declared = field.getType();
        Class<?> actual = value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
        boolean named = actual.isEnum() || actual.isRecord() || !PortableSet.isJdk(actual);
        if (named && declared != actual && !(value instanceof Collection) && !(value instanceof Map)
                && PortableSet.byKind(value) == null) { // else refused for what it is when written
            throw refuse(path, actual, "held by a field declared as " + Types.describe(field.getGenericType())
                    + "; the JSON names no classes, so it could not be rebuilt as " + Types.describe(actual),
                    "Declare the field with the type " + Types.describe(actual) + ".");
        }
    }

    private void floating(Number number) throws IOException {
        double d = number.doubleValue();
        if (Double.isNaN(d)) {
            out.value("NaN");
        } else if (Double.isInfinite(d)) {
            out.value(d > 0 ? "Infinity" : "-Infinity");
        } else {
            // Float.toString keeps a float's shortest text (0.1f stays "0.1", not 0.10000000149...).
            out.value(number);
        }
    }

    private void string(String text, At path) throws NotShippableException, IOException {
        checkLength(text, path);
        String quoted = text.length() >= LONG_STRING ? PlainStrings.quoted(text) : null;
        if (quoted != null) {
            out.jsonValue(quoted);
        } else if (hasLoneSurrogate(text)) {
            // JsonWriter would pass a lone surrogate through, and UTF-8 cannot carry it: escape it.
            out.jsonValue(quote(text));
        } else {
            out.value(text);
        }
    }

    private void checkLength(String text, At path) throws NotShippableException {
        if (text.length() > limits.maxStringChars()) {
            throw refuse(path, String.class, "a String of " + text.length() + " characters, above the limit of "
                    + limits.maxStringChars(), "Write it to a file on the cluster's file system and pass the file's path.");
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A JSON string literal with every non-ASCII or control character as a \\u escape. */
    private static String quote(String text) {
        StringBuilder json = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private NotShippableException refuse(At path, Class<?> type, String why, String instead) {
        String where = path.parent() == null ? "it" : path.toString();
        // A lambda's class name (Main$$Lambda$14/0x...) says nothing the reason does not.
        String what = type.isHidden() || type.isSynthetic() ? "" : " is a " + Types.fullName(type) + ",";
        return new NotShippableException("cannot ship `" + name + "`: " + where + what + (what.isEmpty() ? " is " : " ")
                + why + ". " + instead);
    }

    /** Collects the JSON and stops the walk as soon as it is longer than allowed. */
    private static final class BoundedWriter extends Writer {
        static final class Full extends RuntimeException {
            Full() {
                super(null, null, false, false);
            }
        }

        private final StringBuilder text = new StringBuilder();
        private final long limit;

        BoundedWriter(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            if (text.length() + (long) length > limit) {
                throw new Full();
            }
            text.append(chars, offset, length);
        }

        @Override
        public void write(String s, int offset, int length) {
            if (text.length() + (long) length > limit) {
                throw new Full();
            }
            text.append(s, offset, offset + length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
