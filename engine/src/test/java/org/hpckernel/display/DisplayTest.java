package org.hpckernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hpckernel.eval.OutputCapture;
import org.hpckernel.eval.RecordingOutput;
import org.hpckernel.eval.RecordingOutput.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DisplayTest {
    private OutputCapture capture;
    private RecordingOutput output;

    @BeforeEach
    void attach() {
        capture = OutputCapture.install();
        output = new RecordingOutput();
        capture.setTarget(output);
    }

    @AfterEach
    void detach() {
        capture.setTarget(null);
    }

    private List<String> kinds() {
        return output.events().stream().map(Event::kind).toList();
    }

    @Test
    void printedTextStaysBeforeTheDisplayThatFollowsIt() {
        System.out.print("first ");
        System.err.print("warning ");
        Display.display("shown");
        System.out.print("last");
        capture.flush();
        assertEquals(List.of("stream", "stream", "display", "stream"), kinds());
        assertEquals("first ", output.events().get(0).text());
        assertEquals("warning ", output.events().get(1).text());
        assertEquals("shown", output.events().get(2).bundle().data().get("text/plain"));
    }

    @Test
    void displayReturnsDistinctIdsAndUpdateReusesThem() {
        String first = Display.display(1);
        String second = Display.display("<p>x</p>", "text/html");
        assertNotEquals(first, second);
        Display.updateDisplay(first, Display.html("<b>2</b>"));
        Display.updateDisplay(second, "<p>y</p>", "text/html");
        List<Event> events = output.events();
        assertEquals(4, events.size());
        assertFalse(events.get(0).flag());
        assertEquals(first, events.get(2).displayId());
        assertTrue(events.get(2).flag());
        assertEquals("<b>2</b>", events.get(2).bundle().data().get("text/html"));
        assertEquals(second, events.get(3).displayId());
        assertEquals("<p>y</p>", events.get(3).bundle().data().get("text/html"));
        assertThrows(IllegalArgumentException.class, () -> Display.updateDisplay("", 1));
    }

    @Test
    void clearOutputFlushesFirstAndPassesWait() {
        System.out.print("old");
        Display.clearOutput();
        Display.clearOutput(true);
        assertEquals(List.of("stream", "clear", "clear"), kinds());
        assertFalse(output.events().get(1).flag());
        assertTrue(output.events().get(2).flag());
    }

    @Test
    void readLineAndReadPasswordAskTheFrontend() {
        output.setInput((prompt, password) -> prompt + (password ? "secret" : "plain"));
        assertEquals("Name: plain", Display.readLine("Name: "));
        assertEquals("Key: secret", Display.readPassword("Key: "));
    }

    @Test
    void readLineWithoutStdinExplainsHowToProceed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Display.readLine("x"));
        assertTrue(e.getMessage().contains("does not allow input"), e.getMessage());
        assertTrue(e.getMessage().contains("nbclient") && e.getMessage().contains("another way"), e.getMessage());
    }

    @Test
    void withoutATargetDisplaysFallBackToText() {
        capture.setTarget(null);
        assertThrows(IllegalStateException.class, () -> Display.readLine("x"));
        Display.display("not lost"); // goes to the original stderr via the capture; must not throw
    }
}
