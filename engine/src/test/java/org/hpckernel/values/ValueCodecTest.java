package org.hpckernel.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Round trips of every portable kind, the refusals with their messages, and hostile input. */
class ValueCodecTest {
    private static final ValueCodec CODEC = ValueCodec.standard();

    record Point(int x, int y) {}

    record Line(Point from, Point to, String label) {}

    record Pair<A, B>(A first, B second) {}

    record Shape(String name, List<Point> corners, Map<String, Double> metrics, Color color, Point[] extra) {}

    /** The same components as Point, another class: what a record is after a redefinition. */
    record OtherPoint(int x, int y) {}

    record Positive(int value) {
        static final AtomicInteger BUILT = new AtomicInteger();

        Positive {
            BUILT.incrementAndGet();
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, got " + value);
            }
        }
    }

    record Config(String name, Object pool) {}

    record Holder(Object any) {}

    record Node(int value, Node next) {}

    enum Color { RED, GREEN, BLUE { @Override public String toString() { return "blue!"; } } }

    static class Params {
        int n = 3;
        double eps;
        List<String> names = new ArrayList<>();
        transient String cache = "not shipped";

        Params() {}

        Params(int n, double eps, List<String> names) {
            this.n = n;
            this.eps = eps;
            this.names = names;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Params p && p.n == n && p.eps == eps && p.names.equals(names);
        }

        @Override
        public int hashCode() {
            return n;
        }
    }

    static class NoDefaultConstructor {
        final int n;

        NoDefaultConstructor(int n) {
            this.n = n;
        }
    }

    static class Cyclic {
        Cyclic self;
    }

    private static Object roundTrip(Object value, Type type) throws Exception {
        String json = CODEC.encode("v", value);
        return CODEC.decode(json, type);
    }

    private static void assertRoundTrip(Object value, Type type) throws Exception {
        Object back = roundTrip(value, type);
        if (value != null && value.getClass().isArray()) {
            assertTrue(Arrays.deepEquals(new Object[] {value}, new Object[] {back}),
                    () -> "array changed: " + Arrays.deepToString(new Object[] {value}) + " vs " + Arrays.deepToString(new Object[] {back}));
        } else {
            assertEquals(value, back, () -> "changed in a round trip as " + type.getTypeName());
            if (value != null && !(value instanceof java.util.Collection) && !(value instanceof Map)) {
                assertEquals(value.getClass(), back.getClass());
            }
        }
    }

    private static Type typeOf(TypeCapture<?> capture) {
        return capture.type();
    }

    @Test
    void primitivesAndBoxesRoundTripExactly() throws Exception {
        assertRoundTrip(Integer.MIN_VALUE, int.class);
        assertRoundTrip(Integer.MAX_VALUE, Integer.class);
        assertRoundTrip(Long.MAX_VALUE, long.class);
        assertRoundTrip(Long.MIN_VALUE, Long.class);
        assertRoundTrip((short) -32768, short.class);
        assertRoundTrip((byte) 127, byte.class);
        assertRoundTrip(true, boolean.class);
        assertRoundTrip('é', char.class);
        assertRoundTrip('"', Character.class);
        for (double d : new double[] {0.1, -0.0, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, Math.PI,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertRoundTrip(d, double.class);
        }
        for (float f : new float[] {0.1f, 1e-45f, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY}) {
            assertRoundTrip(f, float.class);
        }
        assertEquals("0.1", CODEC.encode("f", 0.1f));
        assertEquals("\"NaN\"", CODEC.encode("d", Double.NaN));
        assertRoundTrip(null, Integer.class);
    }

    @Test
    void stringsRoundTripWithEveryCharacter() throws Exception {
        assertRoundTrip("", String.class);
        assertRoundTrip("tab\t newline\n quote\" backslash\\ nul\0 é 日本 😀 \u2028", String.class);
        String lone = "broken \ud800 surrogate";
        String json = CODEC.encode("s", lone);
        assertTrue(json.chars().allMatch(c -> c < 0x80), json);
        assertEquals(lone, CODEC.decode(json, String.class));
    }

    @Test
    void bigNumbersKeepEveryDigitAndTheScale() throws Exception {
        assertRoundTrip(new BigInteger("123456789012345678901234567890123456789"), BigInteger.class);
        assertRoundTrip(new BigDecimal("1.50"), BigDecimal.class);
        assertEquals(2, ((BigDecimal) roundTrip(new BigDecimal("1.50"), BigDecimal.class)).scale());
        assertRoundTrip(new BigDecimal("-1E+30"), BigDecimal.class);
        assertRoundTrip(new BigDecimal("0.000000000000000000000000001"), BigDecimal.class);
        BigInteger huge = BigInteger.TEN.pow(5_000).subtract(BigInteger.ONE);
        assertRoundTrip(huge, BigInteger.class);
        assertRoundTrip(new BigDecimal(huge, 2_500), BigDecimal.class);
    }

    @Test
    void enumsTravelByName() throws Exception {
        assertEquals("\"BLUE\"", CODEC.encode("c", Color.BLUE));
        assertEquals(Color.BLUE, CODEC.decode("\"BLUE\"", Color.class));
        assertRoundTrip(DayOfWeek.FRIDAY, DayOfWeek.class);
    }

    @Test
    void javaTimeValuesAreIsoStrings() throws Exception {
        ZonedDateTime zoned = ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_789, ZoneId.of("Europe/Paris"));
        List<Object> values = List.of(Instant.parse("2024-05-01T10:15:30.000000001Z"), LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2024, 1, 2, 3, 4, 5), LocalTime.of(23, 59, 59, 999), zoned,
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5)), OffsetTime.of(1, 2, 3, 0, ZoneOffset.UTC),
                Duration.ofSeconds(90061, 5), Period.of(1, 2, 3), Year.of(2024), YearMonth.of(2024, 12),
                MonthDay.of(2, 29), ZoneOffset.ofHoursMinutes(5, 30));
        for (Object value : values) {
            assertRoundTrip(value, value.getClass());
        }
        assertEquals("\"2024-02-29\"", CODEC.encode("d", LocalDate.of(2024, 2, 29)));
        assertEquals(ZoneId.of("America/New_York"), roundTrip(ZoneId.of("America/New_York"), ZoneId.class));
    }

    @Test
    void uuidUriPathAndOptionals() throws Exception {
        assertRoundTrip(UUID.randomUUID(), UUID.class);
        assertRoundTrip(URI.create("https://example.org/a?b=c#d"), URI.class);
        assertEquals(Path.of("/data/run 1/input.csv"), roundTrip(Path.of("/data/run 1/input.csv"), Path.class));
        assertRoundTrip(Optional.of("x"), typeOf(new TypeCapture<Optional<String>>() {}));
        assertRoundTrip(Optional.empty(), typeOf(new TypeCapture<Optional<String>>() {}));
        assertRoundTrip(OptionalInt.of(4), OptionalInt.class);
        assertRoundTrip(OptionalInt.empty(), OptionalInt.class);
    }

    @Test
    void arraysOfEveryKind() throws Exception {
        assertRoundTrip(new int[] {1, -2, 3}, int[].class);
        assertRoundTrip(new double[0], double[].class);
        assertRoundTrip(new String[][] {{"a", null}, {}}, String[][].class);
        assertRoundTrip(new Point[] {new Point(1, 2), null}, Point[].class);
        assertRoundTrip(new byte[] {-128, 0, 127}, byte[].class);
        @SuppressWarnings("unchecked")
        List<String>[] lists = new List[] {List.of("a"), List.of()};
        assertRoundTrip(lists, typeOf(new TypeCapture<List<String>[]>() {}));
    }

    @Test
    void collectionsKeepTheirOrder() throws Exception {
        assertRoundTrip(new ArrayList<>(List.of(3, 1, 2)), typeOf(new TypeCapture<List<Integer>>() {}));
        Set<String> set = new LinkedHashSet<>(List.of("zebra", "apple", "mango"));
        Object back = roundTrip(set, typeOf(new TypeCapture<Set<String>>() {}));
        assertInstanceOf(LinkedHashSet.class, back);
        assertEquals(List.copyOf(set), new ArrayList<>((Set<?>) back));
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", null);
        map.put("m", 3);
        assertEquals("{\"z\":1,\"a\":null,\"m\":3}", CODEC.encode("m", map));
        Object mapBack = roundTrip(map, typeOf(new TypeCapture<Map<String, Integer>>() {}));
        assertEquals(List.copyOf(map.keySet()), List.copyOf(((Map<?, ?>) mapBack).keySet()));
        assertEquals(map, mapBack);
        assertRoundTrip(new TreeSet<>(List.of(5, 1, 3)), typeOf(new TypeCapture<TreeSet<Integer>>() {}));
        assertRoundTrip(new TreeMap<>(Map.of("b", 2, "a", 1)), typeOf(new TypeCapture<TreeMap<String, Integer>>() {}));
        assertRoundTrip(java.util.EnumSet.of(Color.BLUE, Color.RED), typeOf(new TypeCapture<java.util.EnumSet<Color>>() {}));
        java.util.EnumMap<Color, Integer> counts = new java.util.EnumMap<>(Color.class);
        counts.put(Color.GREEN, 2);
        assertRoundTrip(counts, typeOf(new TypeCapture<java.util.EnumMap<Color, Integer>>() {}));
        Queue<String> queue = new ArrayDeque<>(List.of("first", "second"));
        assertEquals(List.of("first", "second"),
                List.copyOf((Queue<?>) roundTrip(queue, typeOf(new TypeCapture<Queue<String>>() {}))));
    }

    @Test
    void mapsWithOtherKeysTravelAsPairs() throws Exception {
        Map<Integer, String> byNumber = new LinkedHashMap<>();
        byNumber.put(10, "ten");
        byNumber.put(-1, "minus one");
        assertEquals("[[10,\"ten\"],[-1,\"minus one\"]]", CODEC.encode("m", byNumber));
        assertRoundTrip(byNumber, typeOf(new TypeCapture<Map<Integer, String>>() {}));
        Map<Point, List<Color>> byPoint = new LinkedHashMap<>();
        byPoint.put(new Point(1, 2), List.of(Color.RED));
        byPoint.put(new Point(0, 0), List.of());
        assertRoundTrip(byPoint, typeOf(new TypeCapture<Map<Point, List<Color>>>() {}));
        // A script may write such maps as objects: keys are then read as the key type.
        assertEquals(Map.of(1, 2.5, 30, 4.0), CODEC.decode("{\"1\": 2.5, \"30\": 4}",
                typeOf(new TypeCapture<Map<Integer, Double>>() {})));
        assertEquals(Map.of(LocalDate.of(2024, 1, 1), Color.GREEN), CODEC.decode("{\"2024-01-01\": \"GREEN\"}",
                typeOf(new TypeCapture<Map<LocalDate, Color>>() {})));
        assertRoundTrip(new LinkedHashMap<>(), typeOf(new TypeCapture<Map<Integer, String>>() {}));
    }

    @Test
    void recordsAndClassesTravelByNameWithoutClassNames() throws Exception {
        assertEquals("{\"x\":1,\"y\":2}", CODEC.encode("p", new Point(1, 2)));
        assertEquals(new OtherPoint(1, 2), CODEC.decode(CODEC.encode("p", new Point(1, 2)), OtherPoint.class));
        assertRoundTrip(new Line(new Point(1, 2), null, "diagonal"), Line.class);
        assertRoundTrip(new Pair<>("one", List.of(new Point(3, 4))),
                typeOf(new TypeCapture<Pair<String, List<Point>>>() {}));
        Shape shape = new Shape("tri", List.of(new Point(0, 0), new Point(1, 0)), new LinkedHashMap<>(Map.of("area", 0.5)),
                Color.BLUE, new Point[] {new Point(9, 9)});
        Shape back = (Shape) roundTrip(shape, Shape.class);
        assertEquals(shape.corners(), back.corners());
        assertEquals(shape.metrics(), back.metrics());
        assertEquals(Color.BLUE, back.color());
        assertArrayEquals(shape.extra(), back.extra());
        Params params = new Params(7, 1e-9, new ArrayList<>(List.of("a", "b")));
        assertEquals("{\"n\":7,\"eps\":1.0E-9,\"names\":[\"a\",\"b\"]}", CODEC.encode("p", params));
        assertRoundTrip(params, Params.class);
        Node list = new Node(1, new Node(2, new Node(3, null)));
        assertRoundTrip(list, Node.class);
        assertRoundTrip(List.of(Map.of("k", List.of(Optional.of(new Point(5, 6))))),
                typeOf(new TypeCapture<List<Map<String, List<Optional<Point>>>>>() {}));
    }

    @Test
    void aRecordIsBuiltThroughItsCanonicalConstructor() throws Exception {
        int before = Positive.BUILT.get();
        assertEquals(new Positive(5), CODEC.decode("{\"value\": 5}", Positive.class));
        assertEquals(before + 2, Positive.BUILT.get());
        MalformedValueException e = assertThrows(MalformedValueException.class,
                () -> CODEC.decode("{\"value\": -1}", Positive.class));
        assertTrue(e.getMessage().contains("value must be positive, got -1"), e.getMessage());
    }

    @Test
    void objectDeclaredValuesGetJsonsOwnTypes() throws Exception {
        Object value = CODEC.decode("{\"a\": [1, 2.5, \"x\", true, null, 12345678901, 123456789012345678901234]}", Object.class);
        assertEquals(Map.of("a", Arrays.asList(1, 2.5, "x", true, null, 12345678901L,
                new BigInteger("123456789012345678901234"))), value);
        assertInstanceOf(LinkedHashMap.class, value);
    }

    private static String refusal(String name, Object value) {
        return assertThrows(NotShippableException.class, () -> CODEC.encode(name, value)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "\"" + part + "\" missing from: " + message);
        }
    }

    @Test
    void refusesWhatOnlyLivesInThisJvmNamingThePathTypeWhyAndWhatToDo() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            assertMentions(refusal("cfg", new Config("main", pool)), "cannot ship `cfg`", "cfg.pool",
                    "ThreadPoolExecutor", "executor", "inside the cell");
        } finally {
            pool.shutdown();
        }
        assertMentions(refusal("worker", new Thread(() -> {})), "`worker`", "it is a java.lang.Thread", "thread");
        assertMentions(refusal("in", new ByteArrayInputStream(new byte[0])), "ByteArrayInputStream", "open stream",
                "pass a path");
        Function<Integer, Integer> twice = x -> 2 * x;
        assertMentions(refusal("tasks", List.of(Function.identity(), twice)), "tasks[0]", "lambda",
                "Declare a method in the notebook");
        assertMentions(refusal("rows", Stream.of(1, 2)), "stream", "toList()");
        Object connection = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class},
                (proxy, method, args) -> null);
        assertMentions(refusal("db", Map.of("conn", connection)), "db[\"conn\"]", "database connection", "JDBC URL");
        try (Socket socket = new Socket()) {
            assertMentions(refusal("s", socket), "network socket", "host and port");
        }
        assertMentions(refusal("loader", getClass().getClassLoader()), "class loader");
        assertMentions(refusal("it", List.of(1).iterator()), "iterator");
        assertMentions(refusal("counter", new AtomicInteger()), "AtomicInteger", "outside the portable set");
        assertMentions(refusal("sb", new StringBuilder("x")), "StringBuilder", "outside the portable set");
        assertMentions(refusal("anon", new Object() {}), "anonymous class");
        assertMentions(refusal("c", new NoDefaultConstructor(1)), "no-argument constructor", "record");
        assertMentions(refusal("h", new Holder(new Point(1, 2))), "h.any", "declared as Object",
                "Declare the field with the type");
        SortedSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.add("a");
        assertMentions(refusal("r", reversed), "Comparator");
        Cyclic cyclic = new Cyclic();
        cyclic.self = cyclic;
        assertMentions(refusal("loop", cyclic), "loop.self", "cycle");
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertMentions(refusal("l", self), "l[0]", "cycle");
    }

    @Test
    void refusesValuesAboveTheLimits() {
        ValueCodec small = ValueCodec.withLimits(new ValueCodec.Limits(8, 100, 50, 1_000));
        assertMentions(assertThrows(NotShippableException.class, () -> small.encode("s", "x".repeat(101))).getMessage(),
                "String of 101 characters", "limit of 100", "path");
        assertMentions(assertThrows(NotShippableException.class, () -> small.encode("l", new int[600])).getMessage(),
                "`l`", "longer than the limit of 1000");
        Object deep = List.of();
        for (int i = 0; i < 20; i++) {
            deep = List.of(deep);
        }
        Object finalDeep = deep;
        assertMentions(assertThrows(NotShippableException.class, () -> small.encode("d", finalDeep)).getMessage(),
                "deeper than 8");
    }

    private static String malformed(String json, Type type) {
        return assertThrows(MalformedValueException.class, () -> CODEC.decode(json, type)).getMessage();
    }

    @Test
    void refusesMalformedInput() throws Exception {
        assertMentions(malformed("{\"x\": 1, \"y\":", Point.class), "ends too early");
        assertMentions(malformed("[1, 2", int[].class), "ends too early");
        assertMentions(malformed("", int.class), "ends too early");
        assertMentions(malformed("\"seven\"", int.class), "expected a int", "found a JSON string");
        assertMentions(malformed("3.5", int.class), "whole number");
        assertMentions(malformed("300", byte.class), "out of range for byte");
        assertMentions(malformed("1e999999999", long.class), "out of range for long");
        assertMentions(malformed("1e999999999", BigInteger.class), "above the limit");
        assertMentions(malformed("1" + "0".repeat(20_000), BigInteger.class), "not valid JSON", "1024 characters");
        assertMentions(malformed("\"1" + "0".repeat(20_000) + "\"", BigInteger.class), "above the limit of 10000");
        assertMentions(malformed("1e39", float.class), "out of range for float");
        assertMentions(malformed("null", int.class), "null where a int is expected");
        assertMentions(malformed("{}", typeOf(new TypeCapture<List<String>>() {})), "expected a List", "found a JSON object");
        assertMentions(malformed("{\"x\": 1, \"y\": 2, \"z\": 3}", Point.class), "no component named z", "x, y");
        assertMentions(malformed("{\"x\": 1}", Point.class), "missing its component(s) y");
        assertMentions(malformed("{\"x\": 1, \"x\": 1, \"y\": 2}", Point.class), "appears twice");
        assertMentions(malformed("{\"a\": 1, \"a\": 2}", typeOf(new TypeCapture<Map<String, Integer>>() {})), "duplicate");
        assertMentions(malformed("[\"a\", \"a\"]", typeOf(new TypeCapture<Set<String>>() {})), "duplicate element");
        assertMentions(malformed("\"PURPLE\"", Color.class), "not a constant of", "RED, GREEN, BLUE");
        assertMentions(malformed("\"2024-13-01\"", LocalDate.class), "is not a LocalDate");
        assertMentions(malformed("1 2", int.class), "not valid JSON", "column 4");
        assertMentions(malformed("[1.5, NaN]", double[].class), "not valid JSON", "write them as the strings \"NaN\"");
        assertEquals(List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY), CODEC.decode("[1.5, \"NaN\", \"-Infinity\"]",
                typeOf(new TypeCapture<List<Double>>() {})));
        assertMentions(malformed("// comment\n1", int.class), "not valid JSON");
        assertMentions(malformed("['single']", String[].class), "not valid JSON");
        assertMentions(malformed("\"ab\"", char.class), "one character");
        assertMentions(malformed("[[1, \"a\", 3]]", typeOf(new TypeCapture<Map<Integer, String>>() {})), "has more");
        assertMentions(malformed("{}", Runnable.class), "interface", "concrete type");
        assertMentions(malformed("{}", Thread.class), "not a portable type");
    }

    @Test
    void classNamesInTheInputAreNeverHonoured() throws Exception {
        String hostile = "{\"@class\": \"java.lang.ProcessBuilder\", \"command\": [\"touch\", \"/tmp/pwned\"]}";
        assertMentions(malformed(hostile, Point.class), "no component named @class");
        Object plain = CODEC.decode(hostile, Object.class);
        assertInstanceOf(LinkedHashMap.class, plain);
        assertEquals("java.lang.ProcessBuilder", ((Map<?, ?>) plain).get("@class"));
    }

    @Test
    void refusesHugeAndDeepInput() {
        ValueCodec small = ValueCodec.withLimits(new ValueCodec.Limits(512, 1_000, 100, 10_000));
        assertMentions(assertThrows(MalformedValueException.class,
                () -> small.decode("\"" + "x".repeat(1_001) + "\"", String.class)).getMessage(), "1001 characters", "limit of 1000");
        assertMentions(assertThrows(MalformedValueException.class,
                () -> small.decode("[" + "1,".repeat(6_000) + "1]", int[].class)).getMessage(), "above the limit of 10000");
        assertMentions(assertThrows(MalformedValueException.class,
                () -> small.decode("{\"" + "k".repeat(1_001) + "\": 1}", Object.class)).getMessage(), "limit of 1000");
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
        assertMentions(malformed(deepArrays, Object.class), "nested deeper than 512");
        assertMentions(malformed(deepArrays, typeOf(new TypeCapture<List<List<Object>>>() {})), "nested deeper than 512");
        String deepObjects = "{\"next\":".repeat(10_000) + "null" + "}".repeat(10_000);
        assertMentions(malformed(deepObjects, Node.class), "nested deeper than 512");
        String deepNodes = "{\"value\":1,\"next\":".repeat(10_000) + "null" + "}".repeat(10_000);
        assertMentions(malformed(deepNodes, Node.class), "nested deeper than 512");
        assertMentions(malformed("[".repeat(10_000), Object.class), "nested deeper than 512");
        assertEquals(512, CODEC.limits().maxDepth());
        assertEquals(64L << 20, CODEC.limits().maxDocumentChars());
    }

    class Inner {
        int n;
    }

    @Test
    void refusesInnerClassesWhichNeedTheirEnclosingInstance() {
        assertMentions(refusal("i", new Inner()), "it is a org.hpckernel.values.ValueCodecTest.Inner", "inner class");
    }

    @Test
    void aValuesFileIsOneObjectOfEncodedValuesByName() throws Exception {
        Map<String, String> encoded = new LinkedHashMap<>();
        encoded.put("points", CODEC.encode("points", List.of(new Point(1, 2))));
        encoded.put("n", CODEC.encode("n", 7));
        encoded.put("none", CODEC.encode("none", null));
        String file = ValueCodec.joinMembers(encoded);
        assertEquals("{\"points\":[{\"x\":1,\"y\":2}],\"n\":7,\"none\":null}", file);
        Map<String, String> members = CODEC.members(file);
        assertEquals(List.of("points", "n", "none"), List.copyOf(members.keySet()));
        assertEquals(List.of(new Point(1, 2)), CODEC.decode(members.get("points"), typeOf(new TypeCapture<List<Point>>() {})));
        assertEquals(7, CODEC.decode(members.get("n"), int.class));
        for (String bad : List.of("{\"n\": 1", "[]", "{\"n\": 1, \"n\": 2}", "{\"n\": 1} 2", "{n: 1}", "")) {
            assertThrows(MalformedValueException.class, () -> CODEC.members(bad), bad);
        }
        String deep = "{\"d\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThrows(MalformedValueException.class, () -> CODEC.members(deep));
    }

    @Test
    void theStandardCodecRefusesADocumentAboveItsLimit() {
        ValueCodec.Limits limits = ValueCodec.standard().limits();
        assertTrue(limits.maxStringChars() <= limits.maxDocumentChars());
        assertNull(assertThrows(MalformedValueException.class, () -> CODEC.decode(null, int.class)).getCause());
    }
}
