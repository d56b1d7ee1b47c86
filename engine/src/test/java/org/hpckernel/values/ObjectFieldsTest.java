package org.hpckernel.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Values held where they are declared Object (a field, a List&lt;Object&gt;'s elements, a
 * Map&lt;String, Object&gt;'s values) come back as the same class: their type is written as a tag
 * ({@link ObjectTags}) where plain JSON would lose it, and only there; what older kernels wrote
 * (no tags) is still read; a malformed or unknown tag never picks a class.
 */
class ObjectFieldsTest {
    record Holder(Object v, List<Object> xs, Map<String, Object> m) {}

    record Plain(long n, List<Long> ls, Map<String, Short> shorts, Object i) {}

    static final AtomicBoolean BOOM_INITIALIZED = new AtomicBoolean();

    static class Boom {
        static {
            BOOM_INITIALIZED.set(true);
        }
    }

    private static final ValueCodec CODEC = ValueCodec.standard();

    private static Object roundTrip(Object value, Type type) throws Exception {
        return CODEC.decode(CODEC.encode("v", value), type);
    }

    @Test
    void boxedValuesDeclaredObjectComeBackAsTheSameClass() throws Exception {
        List<Object> xs = new ArrayList<>(Arrays.asList(1L, (short) 2, (byte) 3, 4, 2.5f, 1.5, 'c', "s", true, null,
                new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"), Long.MAX_VALUE, Double.NaN,
                Double.NEGATIVE_INFINITY, LocalDate.of(2024, 2, 29), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                ZoneId.of("Europe/Paris"), Path.of("/data/x"), new ArrayList<>(List.of(7L, List.of((short) 8))),
                new LinkedHashSet<>(List.of(1L, 2)), new TreeSet<>(List.of("b", "a"))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("big", 5_000_000_000L);
        m.put("small", 5L);
        m.put("inner", new LinkedHashMap<>(Map.of("deep", 9L)));
        Holder h = new Holder(5L, xs, m);
        Holder back = (Holder) roundTrip(h, Holder.class);
        // A record's equals compares with equals: an Integer 5 is not a Long 5.
        assertEquals(h.v(), back.v());
        assertEquals(Long.class, back.v().getClass());
        for (int i = 0; i < xs.size(); i++) {
            Object sent = xs.get(i);
            Object got = back.xs().get(i);
            assertEquals(sent, got, "element " + i);
            if (sent != null && !(sent instanceof java.util.Set) && !(sent instanceof ZoneId) && !(sent instanceof Path)) {
                assertEquals(sent.getClass(), got.getClass(), "element " + i);
            }
        }
        assertEquals(Long.class, ((List<?>) back.xs().get(19)).get(0).getClass());
        assertEquals(Short.class, ((List<?>) ((List<?>) back.xs().get(19)).get(1)).get(0).getClass());
        assertEquals(m, back.m());
        assertEquals(Long.class, back.m().get("small").getClass());
        assertEquals(Long.class, ((Map<?, ?>) back.m().get("inner")).get("deep").getClass());
        assertEquals(h, back);
    }

    /** A variable itself declared Object: tagged when its declared type is given, plain JSON when not. */
    @Test
    void aVariableDeclaredObjectComesBackAsTheSameClass() throws Exception {
        assertEquals(Object.class, ValueCodec.declared("Object"));
        assertEquals(Object.class, ValueCodec.declared("java.lang.Object"));
        assertEquals(null, ValueCodec.declared("Long"));
        String tagged = CODEC.encode("one", 5L, ValueCodec.declared("Object"));
        assertEquals("{\"@Long\":5}", tagged);
        assertEquals(5L, CODEC.decode(tagged, Object.class));
        assertEquals('c', CODEC.decode(CODEC.encode("c", 'c', Object.class), Object.class));
        assertEquals("5", CODEC.encode("one", 5L, null));
        assertEquals(5, CODEC.decode("5", Object.class), "untagged, a number reads back as JSON gives it");
    }

    @Test
    void theJsonStaysPlainWhereTheDeclaredTypeSaysHowToReadIt() throws Exception {
        String json = CODEC.encode("v", new Holder(5L, List.of(1, 2L, 'x'), Map.of("a", 1.5f)));
        assertEquals("{\"v\":{\"@Long\":5},\"xs\":[1,{\"@Long\":2},{\"@Character\":\"x\"}],\"m\":{\"a\":{\"@Float\":1.5}}}", json);
        Plain plain = new Plain(5L, List.of(1L, 2L), Map.of("s", (short) 3), 7);
        String plainJson = CODEC.encode("p", plain);
        assertEquals("{\"n\":5,\"ls\":[1,2],\"shorts\":{\"s\":3},\"i\":7}", plainJson);
        assertEquals(plain, CODEC.decode(plainJson, Plain.class));
        // A top-level value's declared type is not known to the encoder: written plainly, as before.
        assertEquals("5", CODEC.encode("n", 5L));
    }

    @Test
    void aMapWhoseFirstKeyLooksLikeATagIsWrappedAndComesBackAsAMap() throws Exception {
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("@Long", 1L);
        odd.put("b", 2);
        Holder h = new Holder(odd, List.of(Map.of("@Set", List.of())), Map.of("@x", Map.of("@Long", 3)));
        String json = CODEC.encode("v", h);
        assertTrue(json.startsWith("{\"v\":{\"@Map\":{\"@Long\":{\"@Long\":1},\"b\":2}}"), json);
        assertEquals(h, CODEC.decode(json, Holder.class));
    }

    @Test
    void whatOlderKernelsWroteWithoutTagsIsStillRead() throws Exception {
        Holder old = (Holder) CODEC.decode("{\"v\":5,\"xs\":[1,5000000000,\"c\"],\"m\":{\"a\":1.5,\"@context\":{\"k\":1}}}",
                Holder.class);
        assertEquals(5, old.v());
        assertEquals(List.of(1, 5_000_000_000L, "c"), old.xs());
        assertEquals(Map.of("a", 1.5, "@context", Map.of("k", 1)), old.m());
    }

    @Test
    void aTagIsReadAsItsTypeAlsoWhereTheVariableIsDeclaredObject() throws Exception {
        assertEquals(5L, CODEC.decode("{\"@Long\":5}", Object.class));
        assertEquals(List.of(2L, 'x'), CODEC.decode("[{\"@Long\":2},{\"@Character\":\"x\"}]", List.class));
    }

    @Test
    void aMalformedTagIsRefusedNamingWhatIsWrong() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"@Long\":\"x\"}", "");
        bad.put("{\"@Long\":1.5}", "whole number");
        bad.put("{\"@Short\":70000}", "range");
        bad.put("{\"@Character\":\"ab\"}", "");
        bad.put("{\"@Long\":null}", "null tagged @Long");
        bad.put("{\"@Long\":1,\"b\":2}", "a value tagged @Long is an object of that one member");
        bad.put("{\"@Set\":[1,1]}", "duplicate element");
        bad.put("{\"@Set\":{\"a\":1}}", "");
        bad.put("{\"@Map\":[1]}", "");
        bad.put("{\"@LocalDate\":\"2024-02-30\"}", "");
        bad.put("{\"@Long\":5", "");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            String json = "{\"v\":" + e.getKey() + ",\"xs\":[],\"m\":{}}";
            MalformedValueException refused = assertThrows(MalformedValueException.class, () -> CODEC.decode(json, Holder.class),
                    e.getKey());
            assertTrue(refused.getMessage().contains(e.getValue()), e.getKey() + ": " + refused.getMessage());
        }
    }

    @Test
    void anUnknownTypeNameNeverPicksAClassItIsAPlainMapsKey() throws Exception {
        String name = "@" + Boom.class.getName();
        Holder h = (Holder) CODEC.decode("{\"v\":{\"" + name + "\":{\"x\":1}},\"xs\":[{\"@Thread\":1}],\"m\":{}}", Holder.class);
        assertEquals(Map.of(name, Map.of("x", 1)), h.v());
        assertEquals(List.of(Map.of("@Thread", 1)), h.xs());
        assertFalse(BOOM_INITIALIZED.get(), "a class named in the input was loaded");
    }

    record One(Object v) {}

    @Test
    void aTagCountsAsOneLevelOfNesting() throws Exception {
        ValueCodec shallow = ValueCodec.withLimits(new ValueCodec.Limits(1, 100, 100, 1000));
        assertEquals(new One(1), shallow.decode(shallow.encode("v", new One(1)), One.class));
        NotShippableException e = assertThrows(NotShippableException.class, () -> shallow.encode("v", new One(1L)));
        assertTrue(e.getMessage().contains("nested deeper than 1 levels"), e.getMessage());
        assertThrows(MalformedValueException.class, () -> shallow.decode("{\"v\":{\"@Long\":1}}", One.class));
    }
}
