package org.hpckernel.values;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands a shipped value to code running in the kernel's JShell session, so that it is decoded
 * against the session's current classes: the evaluator offers the JSON under a token, then
 * evaluates {@code ValueHandoff.decode("token", new TypeCapture<List<Point>>() {})} in JShell,
 * where {@code Point} means the notebook's present {@code Point}, and finally declares the
 * variable from {@code ValueHandoff.<List<Point>>take("token")}. Nothing is left behind: {@link #withdraw} forgets the token.
 */
public final class ValueHandoff {
    private static final Map<String, Pending> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    private static final class Pending {
        final String json;
        final Class<?> primitive;
        final SerialValues.Limits limits;
        Object value;
        boolean decoded;
        MalformedValueException failure;

        Pending(String json, Class<?> primitive, SerialValues.Limits limits) {
            this.json = json;
            this.primitive = primitive;
            this.limits = limits;
        }
    }

    /**
     * Declared types that name java.lang's own classes, whose values this class decodes without a
     * statement compiled in the session (some 30 to 80 ms each): the session and the kernel share
     * these classes, so the value is the same.
     */
    private static final Map<String, Class<?>> JDK_TYPES = Map.ofEntries(
            Map.entry("String", String.class), Map.entry("boolean", boolean.class), Map.entry("Boolean", Boolean.class),
            Map.entry("int", int.class), Map.entry("Integer", Integer.class), Map.entry("long", long.class),
            Map.entry("Long", Long.class), Map.entry("double", double.class), Map.entry("Double", Double.class),
            Map.entry("float", float.class), Map.entry("Float", Float.class), Map.entry("short", short.class),
            Map.entry("Short", Short.class), Map.entry("byte", byte.class), Map.entry("Byte", Byte.class),
            Map.entry("char", char.class), Map.entry("Character", Character.class));

    private ValueHandoff() {}

    /**
     * The class {@code declared} names when it is {@code String}, a primitive or a box and the
     * notebook declares no type of that name (which would shadow java.lang's); else null.
     */
    public static Class<?> jdkType(String declared, java.util.function.Predicate<String> notebookDeclares) {
        Class<?> type = JDK_TYPES.get(declared);
        return type == null || notebookDeclares.test(declared) ? null : type;
    }

    /**
     * Decodes the offered value here, as {@code jdkType} (from {@link #jdkType}), instead of in the
     * session; kept for {@link #take}.
     */
    public static void decodeHere(String token, Class<?> jdkType) throws MalformedValueException {
        Pending pending = pending(token);
        if (!JDK_TYPES.containsValue(jdkType) || SerialValues.isSerialized(pending.json)) {
            throw new IllegalArgumentException(jdkType + " is decoded in the session");
        }
        try {
            pending.value = ValueCodec.standard().decode(pending.json, jdkType);
            pending.decoded = true;
        } catch (MalformedValueException e) {
            pending.failure = e;
            throw e;
        }
    }

    /**
     * @param primitive the primitive type when the variable is declared {@code int}, {@code double}...
     *     (the capture then names its box, and null is refused), else null
     * @return the token to pass to {@link #decode} and {@link #take}
     */
    public static String offer(String json, Class<?> primitive) {
        return offer(json, primitive, SerialValues.Limits.DEFAULT.maxBytes());
    }

    /**
     * @param maxBinaryBytes the byte limit of one value in binary form: the cap of the values the
     *     job carried (its input cap, or its output cap), which bounded the file it came in
     */
    public static String offer(String json, Class<?> primitive, long maxBinaryBytes) {
        String token = "value-" + NEXT.incrementAndGet();
        PENDING.put(token, new Pending(json, primitive, SerialValues.Limits.ofBytes(maxBinaryBytes)));
        return token;
    }

    /**
     * Decodes the offered value as the captured type; kept for {@link #take}. A value in binary form
     * ({@link SerialValues}) is read with the session's classes (those of the capture's class
     * loader), a notebook type by the name the user gave it: {@code notebookTypes} are the
     * notebook's current types ({@code Point.class}...), evaluated in the session.
     */
    public static void decode(String token, TypeCapture<?> type, Class<?>... notebookTypes) throws MalformedValueException {
        Pending pending = pending(token);
        try {
            if (SerialValues.isBinary(pending.json)) {
                Map<String, Class<?>> byName = new java.util.HashMap<>();
                for (Class<?> notebookType : notebookTypes) {
                    byName.put(notebookType.getSimpleName(), notebookType);
                }
                SerialValues.Classes classes = SerialValues.Classes.definedBy(type.getClass().getClassLoader(), byName::get);
                pending.value = SerialValues.isSerializedList(pending.json)
                        ? SerialValues.decodeList(pending.json, type.type(), classes, pending.limits, ValueCodec.standard())
                        : SerialValues.decode(pending.json, type.type(), classes, pending.limits);
                pending.decoded = true;
                return;
            }
            pending.value = ValueCodec.standard().decode(pending.json,
                    pending.primitive != null ? pending.primitive : type.type());
            pending.decoded = true;
        } catch (MalformedValueException e) {
            pending.failure = e;
            throw e;
        }
    }

    /** The value {@link #decode} built, as the type of the declaration it initializes. */
    @SuppressWarnings("unchecked")
    public static <T> T take(String token) {
        Pending pending = pending(token);
        if (!pending.decoded) {
            throw new IllegalStateException("value " + token + " was not decoded");
        }
        return (T) pending.value;
    }

    /** Why {@link #decode} failed for this token, or null. */
    public static MalformedValueException failure(String token) {
        Pending pending = PENDING.get(token);
        return pending == null ? null : pending.failure;
    }

    public static void withdraw(String token) {
        PENDING.remove(token);
    }

    private static Pending pending(String token) {
        Pending pending = PENDING.get(token);
        if (pending == null) {
            throw new IllegalStateException("no value offered under " + token);
        }
        return pending;
    }
}
