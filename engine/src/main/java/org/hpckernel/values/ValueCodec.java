package org.hpckernel.values;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * Encodes notebook values as JSON (Gson) and decodes them by declared type, the same way in the
 * kernel and on the node. The JSON carries no class names: a record declared in the notebook is
 * its components by name, so a value still binds after a kernel restart or a redefinition.
 *
 * <p>The encoding, by kind (the declared type says how to read it back):
 * <pre>
 * null                        null
 * boolean, Boolean            true
 * int, long, short, byte      42            (exact; out of range or a fraction is refused on reading)
 * double, float               0.1           NaN and infinities as "NaN", "Infinity", "-Infinity"
 * char, Character             "x"
 * String                      "text"        (a lone surrogate is written as a \\u escape)
 * BigInteger, BigDecimal      12345678901234567890, 1.50   (scale kept)
 * enum constant               "RED"         its name
 * java.time, UUID, URI, Path  "2024-05-01T10:15:30Z"       ISO / canonical text
 * Optional, OptionalInt...    the value, or null when empty
 * array, List, Set, Queue     [1, 2, 3]     in iteration order
 * Map with String keys        {"a": 1}      in iteration order
 * Map with other keys         [[1, "a"], [2, "b"]]         [key, value] pairs in iteration order
 * record                      {"x": 1, "y": 2}             its components by name, in order
 * class of the notebook       {"n": 3}      its instance fields by name (not static, not transient)
 * held where declared Object  {"@Long": 5}  a one-member object naming the type where plain JSON
 *                                           would not give the value back as itself ({@link ObjectTags})
 * </pre>
 *
 * <p>Decoding builds List as ArrayList, Set as LinkedHashSet, SortedSet as TreeSet, Queue and
 * Deque as ArrayDeque, Map as LinkedHashMap, SortedMap as TreeMap (those concrete classes, and
 * HashSet, HashMap, LinkedList, EnumSet, EnumMap may be declared too); a record through its
 * canonical constructor;
 * a class of the notebook through its no-argument constructor, then its fields. A variable
 * declared {@code Object} gets JSON's own types (LinkedHashMap, ArrayList, String, Boolean,
 * Integer / Long / BigInteger / Double), or the type a tag names. Decoding is strict: no class name in the input is
 * honoured (there are none), no Java deserialization, every record component and field must be
 * present exactly once, and the {@link Limits} bound depth, string, number and document sizes.
 * The only code that runs while decoding is the declared notebook types' own constructors (and an
 * enum's class initialisation).
 *
 * <p>Refused when encoding, with the path inside the value and what to do instead: threads and
 * executors, open streams, readers, writers and channels, sockets, JDBC connections, statements and
 * result sets, java.util.stream streams, iterators, any other AutoCloseable, classes, class loaders
 * and reflective handles, futures, locks, processes, references, lambdas and method references,
 * anonymous and inner classes, notebook classes without a no-argument constructor or extending a
 * JDK class other than Object, sorted sets and maps with their own Comparator, an Optional inside an
 * Optional, cycles, a record or class held by a field declared with another type (the JSON names no
 * classes, so it could not be rebuilt), any other JDK type, and values above the limits.
 * {@code Optional} is portable: its value, or null when empty. Shared references are written once
 * per reference (a DAG becomes a tree); transient fields are not shipped.
 */
public final class ValueCodec {
    /**
     * @param maxDepth JSON nesting levels (a map written as pairs counts two per level)
     * @param maxStringChars characters of one string (or map key)
     * @param maxNumberChars characters of one number (digits of a BigInteger)
     * @param maxDocumentChars characters of the whole JSON text
     */
    public record Limits(int maxDepth, int maxStringChars, int maxNumberChars, long maxDocumentChars) {
        public static final Limits DEFAULT = new Limits(512, 16 << 20, 10_000, 64L << 20);

        public Limits {
            if (maxDepth < 1 || maxStringChars < 1 || maxNumberChars < 1 || maxDocumentChars < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxStringChars
                        + ", " + maxNumberChars + ", " + maxDocumentChars);
            }
        }
    }

    private static final ValueCodec STANDARD = new ValueCodec(Limits.DEFAULT);

    private final Limits limits;

    private ValueCodec(Limits limits) {
        this.limits = limits;
    }

    /** The codec with the default limits (nesting depth, string and document sizes). */
    public static ValueCodec standard() {
        return STANDARD;
    }

    public static ValueCodec withLimits(Limits limits) {
        return new ValueCodec(limits);
    }

    /**
     * The standard codec, unless a values file may be longer than its document limit (a cap raised
     * for a large value in binary form, base64 in the file): then one that reads up to that length.
     */
    public static ValueCodec forDocument(long maxChars) {
        Limits standard = standard().limits();
        if (maxChars <= standard.maxDocumentChars()) return standard();
        return withLimits(new Limits(standard.maxDepth(), standard.maxStringChars(), standard.maxNumberChars(), maxChars));
    }

    public Limits limits() {
        return limits;
    }

    /**
     * The value as JSON. Refuses (naming {@code name}, the path inside the value, the type, why and
     * what to do instead) anything outside the portable set.
     */
    public String encode(String name, Object value) throws NotShippableException {
        return ValueEncoder.encode(limits, name, value);
    }

    /**
     * As {@link #encode(String, Object)}, for a variable declared {@code declared}: one declared
     * {@code Object} holding a {@code Long} (a {@code Character}, ...) is written with its tag
     * ({@link ObjectTags}), so it comes back as itself.
     */
    public String encode(String name, Object value, Type declared) throws NotShippableException {
        return ValueEncoder.encode(limits, name, value, declared);
    }

    /** What {@link #encode(String, Object, Type)} takes for a variable declared {@code typeName}: Object.class or null. */
    public static Type declared(String typeName) {
        return "Object".equals(typeName) || "java.lang.Object".equals(typeName) ? Object.class : null;
    }

    /** The JSON decoded as {@code type}; malformed or hostile input is refused, never executed. */
    public Object decode(String json, Type type) throws MalformedValueException {
        return ValueDecoder.decode(limits, json, type);
    }

    /**
     * The members of a values file ({@code inputs.json}, {@code outputs.json}: one JSON object,
     * variable name to encoded value), each value as its own JSON text for {@link #decode}, exactly
     * as the file has it. Only the syntax is checked here, within the nesting limit (one level
     * deeper, for the object itself); each value is parsed once, when it is decoded.
     */
    public Map<String, String> members(String json) throws MalformedValueException {
        if (json == null) {
            throw new MalformedValueException("no JSON to read (null)");
        }
        if (json.length() > limits.maxDocumentChars()) {
            throw new MalformedValueException("the file is " + json.length() + " characters long, above the limit of "
                    + limits.maxDocumentChars());
        }
        return JsonSpans.members(json, limits.maxDepth());
    }

    /** One JSON object of already encoded values, by name, in the map's order: what {@link #members} reads. */
    public static String joinMembers(Map<String, String> encoded) {
        StringWriter text = new StringWriter();
        try (JsonWriter out = new JsonWriter(text)) {
            out.beginObject();
            for (Map.Entry<String, String> entry : encoded.entrySet()) {
                out.name(entry.getKey()).jsonValue(entry.getValue());
            }
            out.endObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return text.toString();
    }
}
