package org.hpckernel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private final MessageSigner signer = new MessageSigner("secret-key", "hmac-sha256");
    private final WireCodec codec = new WireCodec(signer);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<byte[]> frames(String header, String parent, String metadata, String content, String... ids) {
        List<byte[]> f = new ArrayList<>();
        for (String id : ids) f.add(b(id));
        f.add(WireCodec.DELIMITER);
        f.add(b(signer.sign(b(header), b(parent), b(metadata), b(content))));
        f.add(b(header));
        f.add(b(parent));
        f.add(b(metadata));
        f.add(b(content));
        return f;
    }

    private static final String HEADER =
            "{\"msg_id\":\"m1\",\"session\":\"s\",\"username\":\"u\",\"date\":\"2026-01-01T00:00:00Z\",\"msg_type\":\"execute_request\",\"version\":\"5.4\",\"extra\":1}";

    @Test
    void decodesASignedMessageKeepingIdentitiesAndRawHeader() throws Exception {
        Message m = codec.decode(frames(HEADER, "{}", "{}", "{\"code\":\"1 + 1\"}", "route-a", "route-b"));
        assertEquals("execute_request", m.type());
        assertEquals("m1", m.id());
        assertEquals(2, m.identities().size());
        assertArrayEquals(b("route-b"), m.identities().get(1));
        assertEquals("1 + 1", m.content().get("code").getAsString());
        // The parent of our reply must be the header exactly as it came, unknown keys included.
        assertEquals(JsonParser.parseString(HEADER), m.headerAsParent());
    }

    @Test
    void rejectsABadSignatureBeforeParsingAnything() {
        // Every part is invalid JSON: had anything been parsed first, the error would name the JSON.
        List<byte[]> f = frames("{not json", "[", "nul", "\"unterminated");
        f.set(1, b("0".repeat(64)));
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> codec.decode(f));
        assertEquals("bad signature", e.getMessage());
    }

    @Test
    void aCorrectlySignedInvalidBodyIsReportedAsJsonSoTheTestAboveCanTellTheOrder() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(frames("{not json", "[", "nul", "\"unterminated")));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void aReplayedMessageIsRefusedAndAFreshOneAccepted() throws Exception {
        List<byte[]> f = frames(HEADER, "{}", "{}", "{\"code\":\"counter++\"}");
        assertEquals("m1", codec.decode(f).id());
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> codec.decode(f));
        assertTrue(e.getMessage().contains("replayed"), e.getMessage());
        assertEquals("m2", codec.decode(frames(HEADER.replace("\"m1\"", "\"m2\""), "{}", "{}", "{}")).id());
    }

    @Test
    void aBadSignatureDoesNotEnterTheHistory() throws Exception {
        List<byte[]> f = frames(HEADER, "{}", "{}", "{}");
        byte[] good = f.get(1);
        f.set(1, b("0".repeat(64)));
        assertThrows(MalformedMessageException.class, () -> codec.decode(f));
        f.set(1, good);
        assertEquals("m1", codec.decode(f).id());
    }

    @Test
    void theReplayHistoryIsBounded() throws Exception {
        SignatureHistory history = new SignatureHistory(3);
        WireCodec small = new WireCodec(signer, MessageLimits.defaults(), history);
        for (int i = 0; i < 10; i++) small.decode(frames(HEADER.replace("\"m1\"", "\"m" + i + "\""), "{}", "{}", "{}"));
        assertEquals(3, history.size());
        // the oldest were forgotten, the newest are still refused
        assertThrows(MalformedMessageException.class,
                () -> small.decode(frames(HEADER.replace("\"m1\"", "\"m9\""), "{}", "{}", "{}")));
        assertEquals("m0", small.decode(frames(HEADER.replace("\"m1\"", "\"m0\""), "{}", "{}", "{}")).id());
    }

    @Test
    void anOversizeMessageIsRefusedBeforeItsSignatureIsComputed() {
        MessageLimits limits = new MessageLimits(1024, 1024, 16, 10);
        WireCodec small = new WireCodec(signer, limits, new SignatureHistory(10));
        List<byte[]> big = frames(HEADER, "{}", "{}", "{\"x\":\"" + "y".repeat(2000) + "\"}");
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> small.decode(big));
        assertTrue(e.getMessage().contains("bytes, more than the 1024 allowed"), e.getMessage());
        List<byte[]> many = frames(HEADER, "{}", "{}", "{}");
        for (int i = 0; i < 20; i++) many.add(b("buffer"));
        e = assertThrows(MalformedMessageException.class, () -> small.decode(many));
        assertTrue(e.getMessage().contains("frames, more than the 16 allowed"), e.getMessage());
    }

    @Test
    void rejectsAMissingSignature() {
        List<byte[]> f = frames(HEADER, "{}", "{}", "{}");
        f.set(1, new byte[0]);
        assertThrows(MalformedMessageException.class, () -> codec.decode(f));
    }

    @Test
    void rejectsTamperedContent() {
        List<byte[]> f = frames(HEADER, "{}", "{}", "{\"code\":\"1\"}");
        f.set(5, b("{\"code\":\"System.exit(0)\"}"));
        assertThrows(MalformedMessageException.class, () -> codec.decode(f));
    }

    @Test
    void rejectsStructuralProblems() {
        assertThrows(MalformedMessageException.class, () -> codec.decode(List.of(b("no delimiter"))));
        List<byte[]> tooFew = frames(HEADER, "{}", "{}", "{}");
        tooFew.remove(tooFew.size() - 1);
        assertThrows(MalformedMessageException.class, () -> codec.decode(tooFew));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames("not json", "{}", "{}", "{}")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames("[1,2]", "{}", "{}", "{}")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames("{\"msg_type\":\"x\"}", "{}", "{}", "{}")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames("{\"msg_id\":1,\"msg_type\":{}}", "{}", "{}", "{}")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames(HEADER, "{}", "{}", "\"str\"")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames(HEADER, "{}", "{}", "[".repeat(100_000))));
    }

    @Test
    void encodeThenDecodeRoundTripsAndSignatureVerifies() throws Exception {
        Message parent = codec.decode(frames(HEADER, "{}", "{}", "{}", "who"));
        Message reply = new Message(parent.identities(), Header.create("execute_reply", "kernel-session", "kernel"), null,
                parent.headerAsParent(), new JsonObject(), Message.toJson(Map.of("status", "ok", "text", "é ✓ 𝄞")), List.of());
        List<byte[]> wire = codec.encode(reply);
        assertArrayEquals(b("who"), wire.get(0));
        assertArrayEquals(WireCodec.DELIMITER, wire.get(1));
        Message back = codec.decode(wire);
        assertEquals("execute_reply", back.type());
        assertEquals("é ✓ 𝄞", back.content().get("text").getAsString());
        assertEquals("m1", back.parentHeader().get("msg_id").getAsString());
        assertEquals(Header.PROTOCOL_VERSION, back.header().version());
    }

    @Test
    void emptyKeyMeansUnsignedMessagesAreAccepted() throws Exception {
        WireCodec open = new WireCodec(new MessageSigner("", "hmac-sha256"));
        List<byte[]> f = new ArrayList<>(List.of(WireCodec.DELIMITER, new byte[0], b(HEADER), b("{}"), b("{}"), b("{}")));
        assertEquals("m1", open.decode(f).id());
        assertEquals("", new String(open.encode(open.decode(f)).get(1), StandardCharsets.UTF_8));
    }

    @Test
    void okReplyHasNoNullErrorFields() {
        JsonObject content = Message.toJson(org.hpckernel.protocol.content.ExecuteReply.ok(3, List.of()));
        assertEquals(3, content.get("execution_count").getAsInt());
        assertTrue(!content.has("ename") && !content.has("traceback"), content.toString());
    }
}
