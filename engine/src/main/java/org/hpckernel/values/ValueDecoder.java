package org.hpckernel.values;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads one JSON value as a declared type, strictly: every token must be what the type expects,
 * records must have exactly their components, and nothing in the input chooses a class (the
 * declared type does) or runs code beyond the constructors of the declared notebook types.
 */
final class ValueDecoder {
    private static final Map<Class<?>, Supplier<Collection<Object>>> COLLECTIONS = Map.ofEntries(
            Map.entry(Iterable.class, ArrayList::new), Map.entry(Collection.class, ArrayList::new),
            Map.entry(List.class, ArrayList::new), Map.entry(ArrayList.class, ArrayList::new),
            Map.entry(LinkedList.class, LinkedList::new),
            Map.entry(Set.class, LinkedHashSet::new), Map.entry(LinkedHashSet.class, LinkedHashSet::new),
            Map.entry(HashSet.class, HashSet::new),
            Map.entry(SortedSet.class, TreeSet::new), Map.entry(NavigableSet.class, TreeSet::new),
            Map.entry(TreeSet.class, TreeSet::new),
            Map.entry(Queue.class, ArrayDeque::new), Map.entry(Deque.class, ArrayDeque::new),
            Map.entry(ArrayDeque.class, ArrayDeque::new));
    private static final Map<Class<?>, Supplier<Map<Object, Object>>> MAPS = Map.of(
            Map.class, LinkedHashMap::new, LinkedHashMap.class, LinkedHashMap::new, HashMap.class, HashMap::new,
            SortedMap.class, TreeMap::new, NavigableMap.class, TreeMap::new, TreeMap.class, TreeMap::new);

    private final ValueCodec.Limits limits;
    private final JsonReader in;

    private ValueDecoder(ValueCodec.Limits limits, JsonReader in) {
        this.limits = limits;
        this.in = in;
    }

    static Object decode(ValueCodec.Limits limits, String json, Type type) throws MalformedValueException {
        if (json == null) {
            throw new MalformedValueException("no JSON to decode (null)");
        }
        if (json.length() > limits.maxDocumentChars()) {
            throw new MalformedValueException("the JSON is " + json.length() + " characters long, above the limit of "
                    + limits.maxDocumentChars());
        }
        if (type == String.class || type == CharSequence.class) {
            String plain = PlainStrings.unquoted(json);
            if (plain != null && plain.length() <= limits.maxStringChars()) {
                return plain;
            }
        }
        JsonReader in = new JsonReader(new StringReader(json));
        in.setStrictness(Strictness.STRICT);
        in.setNestingLimit(limits.maxDepth());
        try {
            Object value = new ValueDecoder(limits, in).read(type);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedValueException("unexpected data after the value at " + where(in.getPath()));
            }
            return value;
        } catch (EOFException e) {
            throw new MalformedValueException("the JSON ends too early (a truncated file?) at " + where(in.getPath()), e);
        } catch (MalformedJsonException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.startsWith("Nesting limit")) {
                throw new MalformedValueException("the JSON is nested deeper than " + limits.maxDepth() + " levels (at "
                        + where(in.getPath()) + ")", e);
            }
            // Gson's advice to switch to lenient parsing is not ours to give.
            message = firstLine(message).replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
                    "unexpected character (or a number literal of 1024 characters or more)");
            if (json.contains("NaN") || json.contains("Infinity")) {
                // Python's json module writes these by default; they are not JSON.
                message += " (JSON has no NaN or Infinity: write them as the strings \"NaN\", \"Infinity\","
                        + " \"-Infinity\", or as null)";
            }
            throw new MalformedValueException("not valid JSON: " + message, e);
        } catch (IOException e) {
            throw new MalformedValueException("cannot read the JSON: " + e.getMessage(), e);
        }
    }

    private Object read(Type type) throws IOException, MalformedValueException {
        Class<?> raw = Types.raw(type);
        JsonToken token = in.peek();
        if (token == JsonToken.NULL) {
            in.nextNull();
            return nullOf(raw);
        }
        if (raw == String.class || raw == CharSequence.class) {
            return string(raw);
        }
        if (raw == Object.class || raw == Serializable.class || raw == Comparable.class) {
            return natural();
        }
        if (raw == boolean.class || raw == Boolean.class) {
            expect(JsonToken.BOOLEAN, raw);
            return in.nextBoolean();
        }
        try {
            if (Scalars.isNumeric(raw)) {
                if (token == JsonToken.STRING && Scalars.acceptsString(raw)) {
                    String text = string(raw);
                    return raw == BigInteger.class || raw == BigDecimal.class
                            ? Scalars.fromNumber(raw, text, limits.maxNumberChars()) : Scalars.fromText(raw, text);
                }
                expect(JsonToken.NUMBER, raw);
                return Scalars.fromNumber(raw, in.nextString(), limits.maxNumberChars());
            }
            if (raw == char.class || raw == Character.class || raw.isEnum() || TextValues.isTextType(raw)) {
                return Scalars.fromText(raw, string(raw));
            }
        } catch (Scalars.Invalid e) {
            throw malformed(e.getMessage());
        }
        if (raw == Optional.class) {
            return Optional.of(read(Types.argument(type, 0)));
        }
        if (raw == OptionalInt.class) {
            return OptionalInt.of((Integer) read(int.class));
        }
        if (raw == OptionalLong.class) {
            return OptionalLong.of((Long) read(long.class));
        }
        if (raw == OptionalDouble.class) {
            return OptionalDouble.of((Double) read(double.class));
        }
        if (raw.isArray()) {
            return array(Types.component(type));
        }
        if (raw == EnumSet.class || raw == EnumMap.class) {
            return enumCollection(raw, type);
        }
        if (COLLECTIONS.containsKey(raw)) {
            return collection(COLLECTIONS.get(raw).get(), Types.argument(type, 0), raw);
        }
        if (MAPS.containsKey(raw)) {
            return map(MAPS.get(raw).get(), Types.argument(type, 0), Types.argument(type, 1), raw);
        }
        if (raw.isRecord()) {
            return record(raw, type);
        }
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            throw malformed("cannot build a " + Types.describe(type) + ": it is an interface or an abstract class, and"
                    + " the JSON names no classes; declare the variable with a concrete type");
        }
        if (PortableSet.isJdk(raw)) {
            throw malformed("cannot build a " + Types.describe(type) + ": not a portable type (" + PortableSet.PORTABLE + ")");
        }
        return object(raw, type);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object enumCollection(Class<?> raw, Type type) throws IOException, MalformedValueException {
        Class<?> constants = Types.raw(Types.argument(type, 0));
        if (!constants.isEnum()) {
            throw malformed("cannot build a " + Types.describe(type) + " without its enum type");
        }
        if (raw == EnumSet.class) {
            return collection((Collection) EnumSet.noneOf((Class<Enum>) constants), constants, raw);
        }
        return map((Map) new EnumMap((Class<Enum>) constants), constants, Types.argument(type, 1), raw);
    }

    private Object nullOf(Class<?> raw) throws MalformedValueException {
        if (raw.isPrimitive()) {
            throw malformed("null where a " + raw.getName() + " is expected");
        }
        if (raw == Optional.class) {
            return Optional.empty();
        }
        if (raw == OptionalInt.class) {
            return OptionalInt.empty();
        }
        if (raw == OptionalLong.class) {
            return OptionalLong.empty();
        }
        if (raw == OptionalDouble.class) {
            return OptionalDouble.empty();
        }
        return null;
    }

    private Object array(Type component) throws IOException, MalformedValueException {
        expect(JsonToken.BEGIN_ARRAY, component, "an array of ");
        List<Object> elements = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            elements.add(read(component));
        }
        in.endArray();
        Object array = Array.newInstance(Types.raw(component), elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Array.set(array, i, elements.get(i));
        }
        return array;
    }

    private Object collection(Collection<Object> target, Type element, Class<?> raw) throws IOException, MalformedValueException {
        expect(JsonToken.BEGIN_ARRAY, raw, "a ");
        in.beginArray();
        while (in.hasNext()) {
            Object value = read(element);
            boolean added;
            try {
                added = target.add(value);
            } catch (RuntimeException e) {
                throw malformed("cannot add this element to a " + raw.getSimpleName() + ": " + e);
            }
            if (!added && target instanceof Set) {
                throw malformed("duplicate element in a set");
            }
        }
        in.endArray();
        return target;
    }

    /** A JSON object (keys read as the key type) or a list of [key, value] pairs. */
    private Object map(Map<Object, Object> target, Type keyType, Type valueType, Class<?> raw)
            throws IOException, MalformedValueException {
        JsonToken token = in.peek();
        if (token == JsonToken.BEGIN_OBJECT) {
            Class<?> keyClass = Types.raw(keyType);
            in.beginObject();
            while (in.hasNext()) {
                String name = name();
                Object key;
                try {
                    key = keyClass == String.class || keyClass == Object.class || keyClass == CharSequence.class
                            ? name : Scalars.key(keyClass, name, limits.maxNumberChars());
                } catch (Scalars.Invalid e) {
                    throw malformed(e.getMessage());
                }
                put(target, key, read(valueType), raw);
            }
            in.endObject();
            return target;
        }
        expect(JsonToken.BEGIN_ARRAY, raw, "an object, or a list of [key, value] pairs, for a ");
        in.beginArray();
        while (in.hasNext()) {
            expect(JsonToken.BEGIN_ARRAY, null, "a [key, value] pair");
            in.beginArray();
            Object key = read(keyType);
            if (!in.hasNext()) {
                throw malformed("a map entry needs [key, value]; this one has only a key");
            }
            Object value = read(valueType);
            if (in.hasNext()) {
                throw malformed("a map entry needs [key, value]; this one has more");
            }
            in.endArray();
            put(target, key, value, raw);
        }
        in.endArray();
        return target;
    }

    private void put(Map<Object, Object> target, Object key, Object value, Class<?> raw) throws MalformedValueException {
        try {
            if (target.containsKey(key)) {
                throw malformed("duplicate map key");
            }
            target.put(key, value);
        } catch (RuntimeException e) {
            throw malformed("cannot put this entry into a " + raw.getSimpleName() + ": " + e);
        }
    }

    private Object record(Class<?> raw, Type type) throws IOException, MalformedValueException {
        ObjectShape shape = shape(raw, type);
        Object[] arguments = new Object[shape.size()];
        boolean[] seen = new boolean[shape.size()];
        fields(shape, raw, type, seen, (index, value) -> arguments[index] = value);
        missing(shape, type, seen, "component");
        try {
            return shape.constructor().newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw malformed("the constructor of " + Types.describe(type) + " refused the value: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw malformed("cannot build a " + Types.describe(type) + ": " + e);
        }
    }

    private Object object(Class<?> raw, Type type) throws IOException, MalformedValueException {
        ObjectShape shape = shape(raw, type);
        Object instance;
        try {
            instance = shape.constructor().newInstance();
        } catch (InvocationTargetException e) {
            throw malformed("the constructor of " + Types.describe(type) + " failed: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw malformed("cannot build a " + Types.describe(type) + ": " + e);
        }
        boolean[] seen = new boolean[shape.size()];
        fields(shape, raw, type, seen, (index, value) -> {
            try {
                shape.field(index).set(instance, value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw malformed("cannot set field " + shape.name(index) + " of " + Types.describe(type) + ": " + e);
            }
        });
        missing(shape, type, seen, "field");
        return instance;
    }

    private interface FieldSink {
        void accept(int index, Object value) throws MalformedValueException;
    }

    private ObjectShape shape(Class<?> raw, Type type) throws MalformedValueException {
        ObjectShape shape;
        try {
            shape = ObjectShape.of(raw);
        } catch (IllegalArgumentException e) {
            throw malformed("cannot build a " + Types.describe(type) + ": " + e.getMessage());
        }
        if (shape.constructor() == null) {
            throw malformed("cannot build a " + Types.describe(type) + ": it has no "
                    + (raw.isRecord() ? "canonical" : "no-argument") + " constructor");
        }
        return shape;
    }

    /** Reads the object's members by name, each exactly once, as the declared types of the fields. */
    private void fields(ObjectShape shape, Class<?> raw, Type type, boolean[] seen, FieldSink sink)
            throws IOException, MalformedValueException {
        String kind = raw.isRecord() ? "component" : "field";
        expect(JsonToken.BEGIN_OBJECT, type, "an object of the " + kind + "s of ");
        boolean generic = raw.getTypeParameters().length > 0;
        in.beginObject();
        while (in.hasNext()) {
            String name = name();
            int index = shape.indexOf(name);
            if (index < 0) {
                throw malformed(Types.describe(type) + " has no " + kind + " named " + name + " (its " + kind + "s: "
                        + shape.names() + ")");
            }
            if (seen[index]) {
                throw malformed(kind + " " + name + " appears twice");
            }
            seen[index] = true;
            Type declared = shape.genericType(index);
            sink.accept(index, read(generic ? Types.resolve(declared, shape.field(index).getDeclaringClass(), type) : declared));
        }
        in.endObject();
    }

    private void missing(ObjectShape shape, Type type, boolean[] seen, String kind) throws MalformedValueException {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                missing.add(shape.name(i));
            }
        }
        if (!missing.isEmpty()) {
            throw malformed(Types.describe(type) + " is missing its " + kind + "(s) " + String.join(", ", missing));
        }
    }

    /** A value of a variable declared as Object: JSON's own types (Map, List, String, numbers, Boolean). */
    /** The value of an object whose first key is a type's tag ({@link ObjectTags}), which must be its only member. */
    private Object tagged(String tag) throws IOException, MalformedValueException {
        if (in.peek() == JsonToken.NULL) {
            throw malformed("null tagged " + tag + ": a null value is written as null, untagged");
        }
        Object value;
        if (tag.equals(ObjectTags.SET)) {
            value = collection(new LinkedHashSet<>(), Object.class, Set.class);
        } else if (tag.equals(ObjectTags.MAP)) {
            expect(JsonToken.BEGIN_OBJECT, Map.class, "a ");
            Map<Object, Object> map = new LinkedHashMap<>();
            in.beginObject();
            while (in.hasNext()) {
                put(map, name(), natural(), Map.class);
            }
            in.endObject();
            value = map;
        } else {
            value = read(ObjectTags.scalarType(tag));
        }
        if (in.hasNext()) {
            throw malformed("a value tagged " + tag + " is an object of that one member, and this one has more");
        }
        in.endObject();
        return value;
    }

    private Object natural() throws IOException, MalformedValueException {
        switch (in.peek()) {
            case BEGIN_OBJECT -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                in.beginObject();
                while (in.hasNext()) {
                    String key = name();
                    if (map.isEmpty() && ObjectTags.isTag(key)) {
                        return tagged(key);
                    }
                    put(map, key, natural(), Map.class);
                }
                in.endObject();
                return map;
            }
            case BEGIN_ARRAY -> {
                List<Object> list = new ArrayList<>();
                in.beginArray();
                while (in.hasNext()) {
                    list.add(natural());
                }
                in.endArray();
                return list;
            }
            case STRING -> {
                return string(String.class);
            }
            case NUMBER -> {
                try {
                    return Scalars.naturalNumber(in.nextString(), limits.maxNumberChars());
                } catch (Scalars.Invalid e) {
                    throw malformed(e.getMessage());
                }
            }
            case BOOLEAN -> {
                return in.nextBoolean();
            }
            case NULL -> {
                in.nextNull();
                return null;
            }
            default -> throw malformed("unexpected " + in.peek());
        }
    }

    private String string(Class<?> type) throws IOException, MalformedValueException {
        expect(JsonToken.STRING, type);
        return checkLength(in.nextString());
    }

    private String name() throws IOException, MalformedValueException {
        return checkLength(in.nextName());
    }

    private String checkLength(String text) throws MalformedValueException {
        if (text.length() > limits.maxStringChars()) {
            throw malformed("a string of " + text.length() + " characters, above the limit of " + limits.maxStringChars());
        }
        return text;
    }

    private void expect(JsonToken token, Class<?> type) throws IOException, MalformedValueException {
        expect(token, type, "a ");
    }

    /** The message, "expected " + what + type, is only built when the token is not the one expected. */
    private void expect(JsonToken token, Type type, String what) throws IOException, MalformedValueException {
        JsonToken actual = in.peek();
        if (actual != token) {
            throw malformed("expected " + what + (type == null ? "" : Types.describe(type)) + " (" + describe(token)
                    + "), found " + describe(actual));
        }
    }

    private MalformedValueException malformed(String message) {
        return new MalformedValueException(message + " (at " + where(in.getPath()) + ")");
    }

    /** A JSON path short enough for a message ($[0][0]... of a deeply nested input is not). */
    static String where(String path) {
        return path.length() <= 120 ? path : path.substring(0, 60) + "..." + path.substring(path.length() - 40);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "a JSON array";
            case BEGIN_OBJECT -> "a JSON object";
            case STRING -> "a JSON string";
            case NUMBER -> "a JSON number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            case END_DOCUMENT -> "the end of the JSON";
            default -> token.toString();
        };
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
