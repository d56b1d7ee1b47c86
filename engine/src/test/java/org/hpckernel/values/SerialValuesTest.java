package org.hpckernel.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Values in binary form: what travels, the allow-list filter (a class outside it is refused before
 * it is instantiated: its readObject, readResolve and static initializer never run), the limits,
 * damaged streams, and notebook types read under the other side's name. Streams a writer would never
 * produce are made by writing a stand-in and renaming its class in the bytes.
 */
class SerialValuesTest {
    record Point(int x, BitSet bits) implements Serializable {}

    /** The same record as the other side compiled it, under another name. */
    record NodePoint(int x, BitSet bits) implements Serializable {}

    /** Plain classes: their default serialVersionUIDs differ, since their names do. */
    static class Tally implements Serializable {
        String label;
        TreeMap<String, Integer> counts = new TreeMap<>();
    }

    static class NodeTally implements Serializable {
        String label;
        TreeMap<String, Integer> counts = new TreeMap<>();
    }

    static class ChangedTally implements Serializable {
        String label;
        long total;
    }

    static class NodeOuter {
        record Inner(int v) implements Serializable {}
    }

    record Outer() {
        record Inner(int v) implements Serializable {}
    }

    record Chain(Chain next) implements Serializable {}

    static final AtomicBoolean GADGET_RAN = new AtomicBoolean();
    static final AtomicBoolean INITIALIZED = new AtomicBoolean();

    /** A class outside the allow-list whose reading would show: it must never be instantiated. */
    static class Gadget implements Serializable {
        int payload = 1;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            GADGET_RAN.set(true);
            in.defaultReadObject();
        }

        private Object readResolve() {
            GADGET_RAN.set(true);
            return this;
        }
    }

    /** Never written by the test (that would initialize it): its name is put into a stand-in's stream. */
    static class Uninitialized implements Serializable {
        static {
            INITIALIZED.set(true);
        }

        int payload;
    }

    static class StandInForUnin implements Serializable {
        int payload;
    }

    static class Holder implements Serializable {
        Object member;

        Holder(Object member) {
            this.member = member;
        }
    }

    private static final Set<Class<?>> OWN = Set.of(Point.class, NodePoint.class, Tally.class, NodeTally.class,
            ChangedTally.class, NodeOuter.Inner.class, Outer.Inner.class, Chain.class, Holder.class, StandInForUnin.class);
    private static final SerialValues.Classes TEST = new SerialValues.Classes(SerialValuesTest.class.getClassLoader(),
            OWN::contains, name -> null);

    /** The other side: notebook type {@code name} is its Node* class. */
    private static SerialValues.Classes node(Map<String, Class<?>> types) {
        return new SerialValues.Classes(SerialValuesTest.class.getClassLoader(), OWN::contains, types::get);
    }

    private static String write(Object value) throws NotShippableException {
        return SerialValues.serialize("v", value, TEST, SerialValues.Limits.DEFAULT);
    }

    private static Object read(String text, Type type) throws MalformedValueException {
        return SerialValues.decode(text, type, TEST, SerialValues.Limits.DEFAULT);
    }

    private static String text(byte[] stream) {
        return SerialValues.PREFIX + Base64.getEncoder().encodeToString(stream);
    }

    @Test
    void valuesOutsideTheJsonSetRoundTripThroughTheFilter() throws Exception {
        BitSet bits = new BitSet();
        bits.set(3);
        bits.set(700);
        assertEquals(bits, read(write(bits), BitSet.class));
        Point p = new Point(7, bits);
        assertEquals(p, read(write(p), Point.class));
        List<Point> points = new ArrayList<>(List.of(p, new Point(-1, new BitSet())));
        assertEquals(points, read(write(points), List.class));
        Map<String, Object> mixed = new HashMap<>(Map.of("day", LocalDate.of(2024, 2, 29), "money", new BigDecimal("1.50"),
                "ints", new int[] {1, 2}, "list", List.of("a", "b")));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) read(write(mixed), Map.class);
        assertEquals(LocalDate.of(2024, 2, 29), back.get("day"));
        assertEquals(new BigDecimal("1.50"), back.get("money"));
        assertArrayEquals(new int[] {1, 2}, (int[]) back.get("ints"));
        assertEquals(List.of("a", "b"), back.get("list"));
        Point[] array = {p, null};
        assertArrayEquals(array, (Point[]) read(write(array), Point[].class));
        assertNull(read(write(null), Point.class));
    }

    @Test
    void encodeUsesJsonWhenItCanAndBinaryOnlyForSerializableValuesOutsideIt() throws Exception {
        assertEquals("[1,2]", SerialValues.encode(ValueCodec.standard(), "v", List.of(1, 2), TEST, SerialValues.Limits.DEFAULT));
        assertTrue(SerialValues.isSerialized(SerialValues.encode(ValueCodec.standard(), "v", new BitSet(), TEST,
                SerialValues.Limits.DEFAULT)));
        // Not Serializable: the JSON encoder's refusal, unchanged.
        NotShippableException thread = assertThrows(NotShippableException.class,
                () -> SerialValues.encode(ValueCodec.standard(), "worker", new Thread(() -> { }), TEST, SerialValues.Limits.DEFAULT));
        assertTrue(thread.getMessage().startsWith("cannot ship `worker`: it is a java.lang.Thread"), thread.getMessage());
        assertFalse(thread.getMessage().contains("binary"), thread.getMessage());
    }

    @Test
    void aSerializableValueWithAMemberThatIsNotIsRefusedNamingTheMember() {
        NotShippableException e = assertThrows(NotShippableException.class, () -> SerialValues.encode(ValueCodec.standard(),
                "holder", new Holder(new Object()), TEST, SerialValues.Limits.DEFAULT));
        assertTrue(e.getMessage().startsWith("cannot ship `holder`: "), e.getMessage());
        assertTrue(e.getMessage().contains("cannot travel in binary form either: `holder` holds a java.lang.Object,"
                + " which is not Serializable"), e.getMessage());
    }

    @Test
    void aJdkClassOutsideTheAllowListIsRefusedWhenWritten() {
        NotShippableException e = assertThrows(NotShippableException.class, () -> write(new DecimalFormat("0.00")));
        assertTrue(e.getMessage().startsWith("`v` holds a java.text.DecimalFormat, which may not travel in binary form"),
                e.getMessage());
        NotShippableException nested = assertThrows(NotShippableException.class, () -> write(List.of(new Gadget())));
        assertTrue(nested.getMessage().contains(Types.fullName(Gadget.class)), nested.getMessage());
    }

    private static final Type POINTS = new TypeCapture<List<Point>>() {}.type();

    private static Object readList(String text, Type type, SerialValues.Limits limits) throws MalformedValueException {
        return SerialValues.decodeList(text, type, TEST, limits, ValueCodec.standard());
    }

    @Test
    void anArraysValuesAreReadEachAsTheElementTypeInTaskOrderWithNullsKept() throws Exception {
        BitSet on = new BitSet();
        on.set(5);
        Point a = new Point(1, on);
        Point b = new Point(2, new BitSet());
        String gathered = SerialValues.gather(java.util.Arrays.asList(write(a), null, write(b), "null"));
        assertTrue(SerialValues.isSerializedList(gathered) && SerialValues.isBinary(gathered) && !SerialValues.isSerialized(gathered));
        assertEquals(java.util.Arrays.asList(a, null, b, null), readList(gathered, POINTS, SerialValues.Limits.DEFAULT));
        // JSON elements (a task whose value was portable) are read by the codec, as the element type.
        String mixed = SerialValues.gather(List.of("7", write(Long.valueOf(8)), "[1,2]"));
        List<?> back = (List<?>) readList(mixed, new TypeCapture<List<Object>>() {}.type(), SerialValues.Limits.DEFAULT);
        assertEquals(List.of(7, 8L, List.of(1, 2)), back);
        assertEquals(ArrayList.class, back.getClass());
        assertEquals(List.of(), readList(SerialValues.LIST_PREFIX + "[]", POINTS, SerialValues.Limits.DEFAULT));
    }

    @Test
    void aHostileOrDamagedElementOfAnArraysValuesIsRefusedNamingItsIndex() throws Exception {
        GADGET_RAN.set(false);
        String hostile = SerialValues.gather(List.of(write(new Point(1, new BitSet())), text(SerialStreams.raw(new Gadget()))));
        GADGET_RAN.set(false);
        MalformedValueException e = assertThrows(MalformedValueException.class,
                () -> readList(hostile, new TypeCapture<List<Object>>() {}.type(), SerialValues.Limits.DEFAULT));
        assertTrue(e.getMessage().startsWith("element 1: the binary value was refused: it holds a " + Types.fullName(Gadget.class)),
                e.getMessage());
        assertFalse(GADGET_RAN.get(), "the rejected class's readObject or readResolve ran");

        String bits = SerialValues.gather(List.of(write(new BitSet())));
        e = assertThrows(MalformedValueException.class, () -> readList(bits, POINTS, SerialValues.Limits.DEFAULT));
        assertEquals("element 0: the binary value is a java.util.BitSet, not a " + Types.describe(Point.class), e.getMessage());
        e = assertThrows(MalformedValueException.class, () -> readList(bits, BitSet.class, SerialValues.Limits.DEFAULT));
        assertTrue(e.getMessage().startsWith("an array's values are a List, not a"), e.getMessage());

        for (String bad : List.of("{}", "[1]", "[[\"x\"]]", "[\"null\"] x", "[\"null\"", "\"null\"")) {
            assertThrows(MalformedValueException.class, () -> readList(SerialValues.LIST_PREFIX + bad, POINTS,
                    SerialValues.Limits.DEFAULT), bad);
        }
        assertThrows(MalformedValueException.class, () -> readList(write(new BitSet()), POINTS, SerialValues.Limits.DEFAULT));
    }

    @Test
    void theByteLimitIsTheOneGivenForEachValue() throws Exception {
        BitSet wide = new BitSet();
        wide.set(8_000);
        String one = write(wide);
        assertEquals(wide, SerialValues.decode(one, BitSet.class, TEST, SerialValues.Limits.ofBytes(2_000)));
        MalformedValueException e = assertThrows(MalformedValueException.class,
                () -> SerialValues.decode(one, BitSet.class, TEST, SerialValues.Limits.ofBytes(500)));
        assertTrue(e.getMessage().endsWith("above the limit of 500"), e.getMessage());
        e = assertThrows(MalformedValueException.class, () -> readList(SerialValues.gather(List.of(one)),
                new TypeCapture<List<BitSet>>() {}.type(), SerialValues.Limits.ofBytes(500)));
        assertTrue(e.getMessage().startsWith("element 0: ") && e.getMessage().endsWith("above the limit of 500"), e.getMessage());
        NotShippableException big = assertThrows(NotShippableException.class,
                () -> SerialValues.serialize("wide", wide, TEST, SerialValues.Limits.ofBytes(500)));
        assertTrue(big.getMessage().startsWith("`wide` in binary form is longer than the limit of 500 bytes"), big.getMessage());
        assertEquals(SerialValues.Limits.DEFAULT.maxDepth(), SerialValues.Limits.ofBytes(500).maxDepth());
        assertThrows(IllegalArgumentException.class, () -> SerialValues.Limits.ofBytes(0));
        // Under a cap: rises with it, never below the default (the cap's own refusal says more).
        assertEquals(300L << 20, SerialValues.Limits.forCap(300L << 20).maxBytes());
        assertEquals(SerialValues.Limits.DEFAULT, SerialValues.Limits.forCap(1 << 20));
    }

    @Test
    void aRejectedClassIsNeverInstantiatedItsReadObjectAndReadResolveNeverRun() throws Exception {
        GADGET_RAN.set(false);
        byte[] hostile = SerialStreams.raw(new ArrayList<>(List.of("fine", new Gadget())));
        GADGET_RAN.set(false);
        MalformedValueException e = assertThrows(MalformedValueException.class, () -> read(text(hostile), List.class));
        assertEquals("the binary value was refused: it holds a " + Types.fullName(Gadget.class)
                + ", which is not allowed to travel in binary form (allowed: " + SerialAllowList.DESCRIPTION + ")", e.getMessage());
        assertFalse(GADGET_RAN.get(), "the rejected class's readObject or readResolve ran");
        // Inside a map's key too (HashMap's readObject rebuilds the table by hashing the keys).
        byte[] asKey = SerialStreams.raw(new HashMap<>(Map.of(new Gadget(), 1)));
        GADGET_RAN.set(false);
        assertThrows(MalformedValueException.class, () -> read(text(asKey), Map.class));
        assertFalse(GADGET_RAN.get());
        // Even the one that accepts it is checked against the list: a plain ObjectInputStream would run it.
        try (ObjectInputStream plain = new ObjectInputStream(new java.io.ByteArrayInputStream(hostile))) {
            plain.readObject();
        }
        assertTrue(GADGET_RAN.get(), "the test's gadget shows when it runs");
    }

    @Test
    void aRejectedClassIsNotEvenInitialized() throws Exception {
        byte[] stream = SerialStreams.rename(SerialStreams.raw(new StandInForUnin()), StandInForUnin.class.getName(), Uninitialized.class.getName());
        MalformedValueException e = assertThrows(MalformedValueException.class, () -> read(text(stream), Object.class));
        assertTrue(e.getMessage().contains("it holds a " + Types.fullName(Uninitialized.class)), e.getMessage());
        assertFalse(INITIALIZED.get(), "the static initializer of a rejected class ran");
    }

    @Test
    void aProxyNeverTravels() throws Exception {
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Serializable.class},
                new SerializableHandler());
        byte[] stream = SerialStreams.raw(proxy);
        MalformedValueException e = assertThrows(MalformedValueException.class, () -> read(text(stream), Object.class));
        assertTrue(e.getMessage().contains("prox"), e.getMessage());
    }

    static final class SerializableHandler implements java.lang.reflect.InvocationHandler, Serializable {
        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return null;
        }
    }

    @Test
    void aGraphDeeperThanTheLimitIsRefused() throws Exception {
        Chain chain = null;
        for (int i = 0; i < 60; i++) {
            chain = new Chain(chain);
        }
        String text = write(chain);
        assertEquals(chain, read(text, Chain.class));
        MalformedValueException e = assertThrows(MalformedValueException.class,
                () -> SerialValues.decode(text, Chain.class, TEST, new SerialValues.Limits(1 << 20, 50, 1000)));
        assertEquals("the binary value was refused: it is nested deeper than 50 levels", e.getMessage());
    }

    @Test
    void moreReferencesOrBytesThanTheLimitsAreRefused() throws Exception {
        List<Integer> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(i * 1000);
        }
        String text = write(many);
        MalformedValueException refs = assertThrows(MalformedValueException.class,
                () -> SerialValues.decode(text, List.class, TEST, new SerialValues.Limits(1 << 20, 100, 100)));
        assertEquals("the binary value was refused: it holds more than 100 objects and references", refs.getMessage());
        MalformedValueException big = assertThrows(MalformedValueException.class,
                () -> SerialValues.decode(text, List.class, TEST, new SerialValues.Limits(1000, 100, 1000)));
        assertTrue(big.getMessage().contains("above the limit of 1000"), big.getMessage());
        NotShippableException tooBig = assertThrows(NotShippableException.class,
                () -> SerialValues.serialize("many", many, TEST, new SerialValues.Limits(1000, 100, 1000)));
        assertTrue(tooBig.getMessage().startsWith("`many` in binary form is longer than the limit of 1000 bytes"),
                tooBig.getMessage());
    }

    @Test
    void anArrayLongerThanTheStreamCanHoldIsRefusedBeforeItIsAllocated() throws Exception {
        byte[] stream = SerialStreams.raw(new long[] {1, 2, 3});
        // The array's length follows its class descriptor (TC_ENDBLOCKDATA, no superclass: 0x78 0x70).
        byte[] length = {0x78, 0x70, 0, 0, 0, 3};
        int at = -1;
        for (int i = 0; i + length.length <= stream.length && at < 0; i++) {
            if (java.util.Arrays.equals(stream, i, i + length.length, length, 0, length.length)) {
                at = i + 2;
            }
        }
        assertTrue(at > 0);
        stream[at] = 0x7f;
        stream[at + 1] = (byte) 0xff;
        stream[at + 2] = (byte) 0xff;
        stream[at + 3] = (byte) 0xff;
        MalformedValueException e = assertThrows(MalformedValueException.class, () -> read(text(stream), long[].class));
        assertTrue(e.getMessage().startsWith("the binary value was refused: it claims an array of 2147483647 elements"),
                e.getMessage());
    }

    @Test
    void damagedInputIsRefusedClearly() throws Exception {
        byte[] stream = Base64.getDecoder().decode(write(new Point(1, new BitSet())).substring(SerialValues.PREFIX.length()));
        byte[] truncated = java.util.Arrays.copyOf(stream, stream.length / 2);
        assertEquals("the binary value ends too early (a truncated file?)",
                assertThrows(MalformedValueException.class, () -> read(text(truncated), Point.class)).getMessage());
        assertTrue(assertThrows(MalformedValueException.class, () -> read(SerialValues.PREFIX + "not base64!", Point.class))
                .getMessage().startsWith("the binary value is not valid base64"));
        assertTrue(assertThrows(MalformedValueException.class, () -> read(text("{\"x\": 1}".getBytes(StandardCharsets.UTF_8)),
                Point.class)).getMessage().startsWith("the binary value is not a Java serialization stream"));
        byte[] extra = java.util.Arrays.copyOf(stream, stream.length + 1);
        assertEquals("unexpected data after the binary value",
                assertThrows(MalformedValueException.class, () -> read(text(extra), Point.class)).getMessage());
        assertEquals("the binary value is a java.util.BitSet, not a String",
                assertThrows(MalformedValueException.class, () -> read(write(new BitSet()), String.class)).getMessage());
        assertTrue(assertThrows(MalformedValueException.class, () -> read("[1, 2]", List.class)).getMessage()
                .startsWith("not a value in binary form"));
    }

    @Test
    void notebookClassNamesAreMappedByTheNameTheUserWrote() {
        assertEquals("Point", NotebookClassNames.notebookName("REPL.$JShell$18$Point"));
        assertEquals("Point", NotebookClassNames.notebookName("REPL.$JShell$12B$Point"));
        assertEquals("Point$Inner", NotebookClassNames.notebookName("REPL.$JShell$18$Point$Inner"));
        assertEquals("Point", NotebookClassNames.notebookName(NotebookClassNames.COMPILED_PACKAGE + ".Point"));
        assertNull(NotebookClassNames.notebookName("java.awt.Point"));
        assertNull(NotebookClassNames.notebookName("REPL.$JShell$18"));
        assertNull(NotebookClassNames.notebookName(NotebookClassNames.COMPILED_PACKAGE + ".sub.Point"));
    }

    @Test
    void aNotebookRecordWrittenUnderTheKernelsNameIsReadAsTheNodesClass() throws Exception {
        BitSet bits = new BitSet();
        bits.set(5);
        byte[] stream = SerialStreams.rename(SerialStreams.raw(List.of(new Point(3, bits), new Point(4, bits))), Point.class.getName(), "REPL.$JShell$18$Point");
        Object back = SerialValues.decode(text(stream), List.class, node(Map.of("Point", NodePoint.class)), SerialValues.Limits.DEFAULT);
        assertEquals(List.of(new NodePoint(3, bits), new NodePoint(4, bits)), back);
        // And back again: the node's hpccell.Point is the kernel's Point of now.
        byte[] returned = SerialStreams.rename(SerialStreams.raw(new NodePoint(9, bits)), NodePoint.class.getName(), NotebookClassNames.COMPILED_PACKAGE + ".Point");
        assertEquals(new Point(9, bits), SerialValues.decode(text(returned), Point.class, node(Map.of("Point", Point.class)),
                SerialValues.Limits.DEFAULT));
    }

    @Test
    void aPlainClassAnArrayAndAMemberTypeAreMappedToo() throws Exception {
        Tally tally = new Tally();
        tally.label = "runs";
        tally.counts.put("a", 2);
        byte[] stream = SerialStreams.rename(SerialStreams.raw(tally), Tally.class.getName(), "REPL.$JShell$7$Tally");
        NodeTally back = (NodeTally) SerialValues.decode(text(stream), NodeTally.class, node(Map.of("Tally", NodeTally.class)),
                SerialValues.Limits.DEFAULT);
        assertEquals("runs", back.label);
        assertEquals(Map.of("a", 2), back.counts);

        byte[] array = SerialStreams.rename(SerialStreams.rename(SerialStreams.raw(new Point[] {new Point(1, new BitSet())}), Point.class.getName(), "REPL.$JShell$18$Point"),
                "[L" + Point.class.getName() + ";", "[LREPL.$JShell$18$Point;");
        NodePoint[] points = (NodePoint[]) SerialValues.decode(text(array), NodePoint[].class, node(Map.of("Point", NodePoint.class)),
                SerialValues.Limits.DEFAULT);
        assertEquals(new NodePoint(1, new BitSet()), points[0]);

        byte[] inner = SerialStreams.rename(SerialStreams.raw(new Outer.Inner(4)), Outer.Inner.class.getName(), "REPL.$JShell$3$Outer$Inner");
        assertEquals(new NodeOuter.Inner(4), SerialValues.decode(text(inner), Object.class,
                node(Map.of("Outer", NodeOuter.class)), SerialValues.Limits.DEFAULT));
    }

    @Test
    void aNotebookTypeThatChangedOrIsGoneIsNamedInTheError() throws Exception {
        byte[] stream = SerialStreams.rename(SerialStreams.raw(new Tally()), Tally.class.getName(), "REPL.$JShell$7$Tally");
        MalformedValueException changed = assertThrows(MalformedValueException.class, () -> SerialValues.decode(text(stream),
                Object.class, node(Map.of("Tally", ChangedTally.class)), SerialValues.Limits.DEFAULT));
        assertTrue(changed.getMessage().contains("has changed since the value was written: it was written with fields"
                + " [counts:object, label:object], and has [label:object, total:J] now"), changed.getMessage());
        MalformedValueException gone = assertThrows(MalformedValueException.class, () -> SerialValues.decode(text(stream),
                Object.class, node(Map.of()), SerialValues.Limits.DEFAULT));
        assertTrue(gone.getMessage().contains("the notebook has no type Tally now"), gone.getMessage());
    }

    @Test
    void valuesFilesKeepBinaryValuesInTheirOwnMember() throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("n", "3");
        texts.put("bits", write(new BitSet()));
        Map<String, String> members = SerialValues.pack(texts);
        assertEquals(List.of("n", SerialValues.MEMBER), List.copyOf(members.keySet()));
        String file = ValueCodec.joinMembers(members);
        assertTrue(file.startsWith("{\"n\":3,\"@serialized\":{\"bits\":\"rO0AB"), file);
        assertEquals(texts, SerialValues.unpack(ValueCodec.standard().members(file)));
        assertTrue(assertThrows(MalformedValueException.class, () -> SerialValues.unpack(
                ValueCodec.standard().members("{\"n\": 3, \"@serialized\": {\"n\": \"rO0=\"}}"))).getMessage().contains("appears twice"));
        assertTrue(assertThrows(MalformedValueException.class, () -> SerialValues.unpack(
                ValueCodec.standard().members("{\"@serialized\": {\"n\": 3}}"))).getMessage().contains("must be a base64 string"));
    }
}
