package org.hpckernel.values;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Values outside the JSON set that are {@code Serializable} travel in binary form (Java
 * serialization), read back only through an allow-list filter ({@link SerialAllowList}: the
 * notebook's classes and its jars', the JDK's values and collections) and within {@link Limits}:
 * nothing outside the list is ever instantiated, so no code of it runs while a job's file is read.
 *
 * <p>In memory (and wherever the kernel passes a value's JSON text: binding, the manifest's size and
 * SHA-256) a binary value is the text {@code java-serialized:BASE64}, which no JSON text can be. In
 * {@code inputs.json} and {@code outputs[.I].json} binary values sit in one member of their own:
 * <pre>{"n": 3, "@serialized": {"bits": "rO0ABXNy..."}}</pre>
 * (base64 of the serialization stream, by variable name; "@serialized" is never a Java name).
 */
public final class SerialValues {
    public static final String PREFIX = "java-serialized:";
    /** The member of a values file that holds the binary values, by name. */
    public static final String MEMBER = "@serialized";

    /**
     * @param maxBytes bytes of one stream (the input and output caps bound the files before this)
     * @param maxDepth nesting of objects in the stream
     * @param maxReferences objects and back-references in the stream
     */
    public record Limits(long maxBytes, int maxDepth, long maxReferences) {
        public static final Limits DEFAULT = new Limits(64L << 20, 1_000, 16_000_000);

        public Limits {
            if (maxBytes < 1 || maxDepth < 1 || maxReferences < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", " + maxDepth + ", " + maxReferences);
            }
        }

        /**
         * The default depth and reference limits with a byte limit of {@code maxBytes}: the cap of
         * the values a job carries (the input cap for inputs, the output cap for outputs), so that
         * raising a cap lets a value in binary form that large through.
         */
        public static Limits ofBytes(long maxBytes) {
            return new Limits(maxBytes, DEFAULT.maxDepth(), DEFAULT.maxReferences());
        }

        /**
         * The limits of one stream under a cap on the values a job carries (its input or its output
         * cap): the byte limit rises with a raised cap, and never stands below the default, so that
         * a value above a lowered cap meets the cap itself, whose refusal says more (every value's
         * size; for outputs, the file where they are kept, to bind with %hpc attach once raised).
         */
        public static Limits forCap(long cap) {
            return ofBytes(Math.max(cap, DEFAULT.maxBytes()));
        }
    }

    /**
     * One side's classes: where names are looked up, which classes are the notebook's (and its
     * jars') own, and the notebook type of a name the user wrote ({@code Point}), or null.
     */
    public record Classes(ClassLoader loader, Predicate<Class<?>> own, Function<String, Class<?>> notebookType) {
        /** The notebook's classes and its jars' are those {@code loader} defines. */
        public static Classes definedBy(ClassLoader loader, Function<String, Class<?>> notebookType) {
            return new Classes(loader, type -> type.getClassLoader() == loader, notebookType);
        }
    }

    private SerialValues() {}

    public static boolean isSerialized(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** A value text that holds values in binary form: one ({@link #PREFIX}) or an array's ({@link #LIST_PREFIX}). */
    public static boolean isBinary(String text) {
        return isSerialized(text) || isSerializedList(text);
    }

    /**
     * The {@code List<T>} an array's tasks returned when any of them returned its value in binary
     * form: {@code java-serialized-list:[ELEMENT, ...]}, a JSON array in task order whose elements
     * are null (a failed task, or null returned) or strings, each the value text of one task (a
     * {@link #PREFIX} binary text, or the value's JSON text). Each element is read as {@code T}
     * on its own, binary ones through the allow-list filter.
     */
    public static final String LIST_PREFIX = "java-serialized-list:";

    public static boolean isSerializedList(String text) {
        return text != null && text.startsWith(LIST_PREFIX);
    }

    /** The {@link #LIST_PREFIX} text of an array's values, in task order; null elements stay null. */
    public static String gather(List<String> texts) {
        JsonArray elements = new JsonArray();
        for (String text : texts) {
            elements.add(text == null ? JsonNull.INSTANCE : new JsonPrimitive(text));
        }
        return LIST_PREFIX + elements;
    }

    /**
     * Reads a {@link #gather} text as {@code listType} (a {@code List<T>}, or a supertype of
     * ArrayList with its element type): an ArrayList with each element read as {@code T}, binary
     * ones through the filter within {@code limits} (each one), JSON ones by {@code codec}.
     */
    public static List<Object> decodeList(String text, Type listType, Classes classes, Limits limits, ValueCodec codec)
            throws MalformedValueException {
        if (!isSerializedList(text)) {
            throw new MalformedValueException("not an array's values in binary form (it does not start with " + LIST_PREFIX + ")");
        }
        Class<?> raw = Types.raw(listType);
        if (!raw.isAssignableFrom(ArrayList.class)) {
            throw new MalformedValueException("an array's values are a List, not a " + Types.describe(listType));
        }
        Type element = Types.argument(listType, 0);
        JsonElement parsed;
        try {
            JsonReader in = new JsonReader(
                    new StringReader(text.substring(LIST_PREFIX.length())));
            in.setStrictness(Strictness.STRICT);
            in.setNestingLimit(2);
            parsed = JsonParser.parseReader(in);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedValueException("unexpected data after an array's values");
            }
        } catch (IOException | RuntimeException e) {
            throw new MalformedValueException("an array's values are not a JSON array of texts: " + e.getMessage());
        }
        if (!parsed.isJsonArray()) {
            throw new MalformedValueException("an array's values are not a JSON array of texts");
        }
        List<Object> values = new ArrayList<>();
        int index = 0;
        for (JsonElement e : parsed.getAsJsonArray()) {
            if (e.isJsonNull()) {
                values.add(null);
            } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                String elementText = e.getAsString();
                try {
                    values.add(isSerialized(elementText) ? decode(elementText, element, classes, limits)
                            : codec.decode(elementText, element));
                } catch (MalformedValueException problem) {
                    throw new MalformedValueException("element " + index + ": " + problem.getMessage());
                }
            } else {
                throw new MalformedValueException("element " + index + " of an array's values is neither null nor a value's text");
            }
            index++;
        }
        return values;
    }

    /**
     * The value as JSON when it is portable; else, when it is Serializable, in binary form; else the
     * JSON encoder's refusal. A Serializable value that cannot travel in binary form either (a
     * member that is not Serializable, a class outside the allow-list, too large) is refused with
     * both reasons.
     */
    public static String encode(ValueCodec codec, String name, Object value, Classes classes, Limits limits)
            throws NotShippableException {
        return encode(codec, name, value, null, classes, limits);
    }

    /** As above, for a variable declared {@code declared} ({@link ValueCodec#encode(String, Object, java.lang.reflect.Type)}). */
    public static String encode(ValueCodec codec, String name, Object value, java.lang.reflect.Type declared, Classes classes,
            Limits limits) throws NotShippableException {
        try {
            return codec.encode(name, value, declared);
        } catch (NotShippableException notJson) {
            if (!(value instanceof Serializable)) {
                throw notJson;
            }
            try {
                return serialize(name, value, classes, limits);
            } catch (NotShippableException notBinary) {
                throw new NotShippableException(notJson.getMessage() + " It is Serializable, but cannot travel in binary"
                        + " form either: " + notBinary.getMessage());
            }
        }
    }

    /** The value in binary form, {@code java-serialized:BASE64}, or why it cannot be. */
    public static String serialize(String name, Object value, Classes classes, Limits limits) throws NotShippableException {
        Bounded bytes = new Bounded(limits.maxBytes());
        try (SerialWriter out = new SerialWriter(bytes, classes.own())) {
            out.writeObject(value);
        } catch (Bounded.Full e) {
            throw new NotShippableException("`" + name + "` in binary form is longer than the limit of " + limits.maxBytes()
                    + " bytes. Write it to a file on the cluster's file system and pass the file's path.");
        } catch (SerialWriter.Refused e) {
            throw new NotShippableException("`" + name + "` holds a " + Types.fullName(e.type) + (e.serializable
                    ? ", which may not travel in binary form (allowed: " + SerialAllowList.DESCRIPTION + ")."
                    + " Compute it inside the cell, or pass what it is made from."
                    : ", which is not Serializable. Mark that member transient, or compute it inside the cell."));
        } catch (StackOverflowError e) {
            throw new NotShippableException("`" + name + "` is nested too deeply to be serialized."
                    + " Flatten the structure, or write it to a file on the cluster and pass its path.");
        } catch (IOException | RuntimeException e) {
            throw new NotShippableException("`" + name + "` cannot be serialized: " + e
                    + ". Compute it inside the cell, or pass what it is made from.");
        }
        return PREFIX + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Reads a value written by {@link #serialize} as {@code type}, through the allow-list filter and
     * within the limits; a rejected class is never instantiated.
     */
    public static Object decode(String text, Type type, Classes classes, Limits limits) throws MalformedValueException {
        if (!isSerialized(text)) {
            throw new MalformedValueException("not a value in binary form (it does not start with " + PREFIX + ")");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new MalformedValueException("the binary value is not valid base64: " + e.getMessage());
        }
        if (bytes.length > limits.maxBytes()) {
            throw new MalformedValueException("the binary value is " + bytes.length + " bytes long, above the limit of "
                    + limits.maxBytes());
        }
        SerialFilter filter = new SerialFilter(classes.own(), limits, bytes.length);
        Object value;
        ByteArrayInputStream source = new ByteArrayInputStream(bytes);
        try (SerialReader in = new SerialReader(source, classes)) {
            in.setObjectInputFilter(filter);
            value = in.readObject();
            if (source.available() > 0) {
                throw new MalformedValueException("unexpected data after the binary value");
            }
        } catch (InvalidClassException e) {
            throw new MalformedValueException(filter.rejection() != null ? "the binary value was refused: " + filter.rejection()
                    : "the binary value cannot be read: " + e.getMessage());
        } catch (EOFException e) {
            throw new MalformedValueException("the binary value ends too early (a truncated file?)");
        } catch (StreamCorruptedException e) {
            throw new MalformedValueException("the binary value is not a Java serialization stream: " + e.getMessage());
        } catch (ClassNotFoundException e) {
            throw new MalformedValueException("the binary value names a class that is not here: " + e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new MalformedValueException("the binary value cannot be read: " + e);
        }
        Class<?> expected = Types.boxed(Types.raw(type));
        if (value == null ? Types.raw(type).isPrimitive() : !expected.isInstance(value)) {
            throw new MalformedValueException("the binary value is " + (value == null ? "null" : "a "
                    + Types.fullName(value.getClass())) + ", not a " + Types.describe(type));
        }
        return value;
    }

    /**
     * A values file's members as value texts: the {@value #MEMBER} member's entries become binary
     * value texts, each under its own name.
     */
    public static Map<String, String> unpack(Map<String, String> members) throws MalformedValueException {
        Map<String, String> texts = new LinkedHashMap<>(members);
        String serialized = texts.remove(MEMBER);
        if (serialized == null) {
            return texts;
        }
        JsonElement parsed = JsonParser.parseString(serialized);
        if (!parsed.isJsonObject()) {
            throw new MalformedValueException(MEMBER + " must be an object of base64 strings by name");
        }
        for (Map.Entry<String, JsonElement> entry : parsed.getAsJsonObject().entrySet()) {
            JsonElement v = entry.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new MalformedValueException(MEMBER + "." + entry.getKey() + " must be a base64 string");
            }
            if (texts.put(entry.getKey(), PREFIX + v.getAsString()) != null) {
                throw new MalformedValueException("the value " + entry.getKey() + " appears twice (as JSON and in " + MEMBER + ")");
            }
        }
        return texts;
    }

    /** The reverse of {@link #unpack}: value texts by name as the members of a values file. */
    public static Map<String, String> pack(Map<String, String> texts) {
        Map<String, String> members = new LinkedHashMap<>();
        JsonObject serialized = new JsonObject();
        texts.forEach((name, text) -> {
            if (isSerialized(text)) {
                serialized.add(name, new JsonPrimitive(text.substring(PREFIX.length())));
            } else {
                members.put(name, text);
            }
        });
        if (serialized.size() > 0) {
            members.put(MEMBER, serialized.toString());
        }
        return members;
    }

    /** Collects the stream and stops it as soon as it is longer than allowed. */
    private static final class Bounded extends ByteArrayOutputStream {
        static final class Full extends RuntimeException {
            Full() {
                super(null, null, false, false);
            }
        }

        private final long limit;

        Bounded(long limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            if (count + 1L > limit) {
                throw new Full();
            }
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + (long) len > limit) {
                throw new Full();
            }
            super.write(b, off, len);
        }
    }
}
