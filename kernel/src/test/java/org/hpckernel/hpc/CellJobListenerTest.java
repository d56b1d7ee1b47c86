package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;
import org.junit.jupiter.api.Test;

/** What a followed job puts into its cell: a requeued run starts clean, displays count against the cap. */
class CellJobListenerTest {
    private final List<String> shown = new ArrayList<>();
    private final CellOutput output = new CellOutput() {
        @Override
        public void stream(String name, String text) {
            shown.add(name + ":" + text);
        }

        @Override
        public void display(MimeBundle bundle, String displayId, boolean update) {
            shown.add("display:" + bundle.data().get("text/plain"));
        }

        @Override
        public void clearOutput(boolean wait) {
            shown.add("clear");
        }

        @Override
        public String readLine(String prompt, boolean password) {
            throw new UnsupportedOperationException();
        }
    };

    private static JsonObject event(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    @Test
    void theStoppedRunOfARequeuedJavaJobDoesNotFailTheCell() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, false);
        listener.onEvent(null, event("{\"t\":\"start\"}"));
        listener.onEvent(null, event("{\"t\":\"error\",\"ename\":\"RunnerStopped\",\"evalue\":\"shut down\",\"traceback\":[]}"));
        assertNotNull(listener.error());
        listener.onEvent(null, event("{\"t\":\"start\"}"));
        listener.onEvent(null, event("{\"t\":\"result\",\"data\":{\"text/plain\":\"42\"}}"));
        assertNull(listener.error());
        assertEquals("42", listener.result().data().get("text/plain"));
    }

    @Test
    void aDisplayOverTheCapIsCountedNotShown() {
        CellJobListener listener = new CellJobListener(output, "s", 100, false);
        listener.onEvent(null, event("{\"t\":\"display\",\"data\":{\"text/plain\":\"small\"}}"));
        listener.onEvent(null, event("{\"t\":\"display\",\"data\":{\"text/plain\":\"" + "b".repeat(500) + "\"}}"));
        assertEquals(List.of("display:small"), shown);
        assertTrue(listener.hiddenBytes() > 500);
    }

    @Test
    void aDetachedListenerShowsNothingMore() {
        CellJobListener listener = new CellJobListener(output, "s", 100, false);
        listener.onStream(null, "stdout", "before\n");
        listener.detach();
        listener.onStream(null, "stdout", "after\n");
        assertEquals(List.of("stdout:before\n"), shown);
    }
}
