package org.hpckernel.protocol.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.hpckernel.util.Json;
import org.hpckernel.protocol.Message;
import org.junit.jupiter.api.Test;

/** The JSON each content record puts on the wire, key by key, as the messaging spec names them. */
class ContentJsonTest {
    private static JsonObject json(Object content) {
        return Message.toJson(content);
    }

    private static <T> T parse(String json, Class<T> type) {
        return Json.GSON.fromJson(JsonParser.parseString(json), type);
    }

    @Test
    void executeRequestDefaultsFollowTheSpecWhenFieldsAreAbsent() {
        ExecuteRequest r = parse("{\"code\":\"1\"}", ExecuteRequest.class);
        assertFalse(r.isSilent());
        assertTrue(r.storesHistory());
        assertTrue(r.allowsStdin());
        assertTrue(r.stopsOnError());
        ExecuteRequest silent = parse("{\"code\":\"1\",\"silent\":true,\"store_history\":true,\"allow_stdin\":false,\"stop_on_error\":false}",
                ExecuteRequest.class);
        assertFalse(silent.storesHistory(), "silent implies no history");
        assertFalse(silent.allowsStdin());
        assertFalse(silent.stopsOnError());
        assertEquals("", parse("{}", ExecuteRequest.class).codeOrEmpty());
    }

    @Test
    void executeReplyOkAndError() {
        JsonObject ok = json(ExecuteReply.ok(7, List.of(Map.of("source", "page"))));
        assertEquals("ok", ok.get("status").getAsString());
        assertEquals(7, ok.get("execution_count").getAsInt());
        assertTrue(ok.getAsJsonObject("user_expressions").isEmpty());
        assertEquals(1, ok.getAsJsonArray("payload").size());
        JsonObject err = json(ExecuteReply.error(8, new ErrorContent("E", "v", List.of("t1", "t2"))));
        assertEquals("error", err.get("status").getAsString());
        assertEquals("E", err.get("ename").getAsString());
        assertEquals(2, err.getAsJsonArray("traceback").size());
    }

    @Test
    void kernelInfoReplyNamesEverythingTheSpecAsksFor() {
        JsonObject k = json(new KernelInfoReply("ok", "5.4", "hpc-kernel", "1", new KernelInfoReply.LanguageInfo("java", "17",
                "text/x-java-source", ".jshell", "text/x-java", "java"), "banner",
                List.of(new KernelInfoReply.HelpLink("t", "u")), false));
        for (String key : List.of("status", "protocol_version", "implementation", "implementation_version", "language_info", "banner", "help_links")) {
            assertTrue(k.has(key), key);
        }
        JsonObject li = k.getAsJsonObject("language_info");
        for (String key : List.of("name", "version", "mimetype", "file_extension", "codemirror_mode")) assertTrue(li.has(key), key);
        assertEquals("u", k.getAsJsonArray("help_links").get(0).getAsJsonObject().get("url").getAsString());
    }

    @Test
    void completeInspectIsCompleteHistoryAndComms() {
        JsonObject c = json(new CompleteReply("ok", List.of("max("), 5, 7, Map.of()));
        assertEquals(5, c.get("cursor_start").getAsInt());
        assertEquals(7, c.get("cursor_end").getAsInt());
        assertEquals("max(", c.getAsJsonArray("matches").get(0).getAsString());
        JsonObject i = json(new InspectReply("ok", true, Map.of("text/plain", "doc"), Map.of()));
        assertTrue(i.get("found").getAsBoolean());
        assertEquals("doc", i.getAsJsonObject("data").get("text/plain").getAsString());
        JsonObject complete = json(new IsCompleteReply("complete", null));
        assertFalse(complete.has("indent"), "indent only with incomplete");
        assertEquals("    ", json(new IsCompleteReply("incomplete", "    ")).get("indent").getAsString());
        HistoryRequest h = parse("{\"hist_access_type\":\"range\",\"session\":-1,\"start\":2,\"stop\":4,\"output\":true}", HistoryRequest.class);
        assertEquals("range", h.histAccessType());
        assertEquals(-1, h.session());
        assertEquals(4, h.stop());
        assertNull(h.pattern());
        CommOpen open = parse("{\"comm_id\":\"c1\",\"target_name\":\"jupyter.widget\",\"data\":{}}", CommOpen.class);
        assertEquals("c1", open.commId());
        assertEquals("jupyter.widget", open.targetName());
        assertEquals("x", parse("{\"value\":\"x\"}", InputReply.class).value());
        assertTrue(parse("{\"restart\":true}", ShutdownRequest.class).restart());
    }

    @Test
    void requestsWithWrongTypesFailLoudlyInsteadOfBeingMisread() {
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> parse("{\"code\":\"1\",\"silent\":{}}", ExecuteRequest.class));
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> parse("{\"code\":\"x\",\"cursor_pos\":[1]}", CompleteRequest.class));
    }
}
