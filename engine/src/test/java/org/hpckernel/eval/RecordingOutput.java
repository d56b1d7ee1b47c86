package org.hpckernel.eval;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.display.StdinUnavailableException;

/** A {@link CellOutput} that remembers everything, in order, and lets tests wait for events. */
public final class RecordingOutput implements CellOutput {
    /** One call the engine made: kind is "stream", "display" or "clear". */
    public record Event(String kind, String name, String text, MimeBundle bundle, String displayId,
            boolean flag, String thread) {
    }

    /** What {@link #readLine} does; the default has no stdin, like nbclient. */
    public interface LineSource {
        String readLine(String prompt, boolean password) throws IOException;
    }

    private final List<Event> events = new ArrayList<>();
    private volatile LineSource input = (prompt, password) -> {
        throw new StdinUnavailableException("stdin is not allowed by this test frontend");
    };

    public void setInput(LineSource source) {
        input = source;
    }

    @Override
    public void stream(String name, String text) {
        add(new Event("stream", name, text, null, null, false, Thread.currentThread().getName()));
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        add(new Event("display", null, null, bundle, displayId, update, Thread.currentThread().getName()));
    }

    @Override
    public void clearOutput(boolean wait) {
        add(new Event("clear", null, null, null, null, wait, Thread.currentThread().getName()));
    }

    @Override
    public String readLine(String prompt, boolean password) throws IOException {
        return input.readLine(prompt, password);
    }

    public synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    public synchronized List<Event> streamEvents(String name) {
        return events.stream().filter(e -> e.kind().equals("stream") && e.name().equals(name)).toList();
    }

    public synchronized String text(String stream) {
        StringBuilder out = new StringBuilder();
        for (Event e : events) {
            if (e.kind().equals("stream") && e.name().equals(stream)) {
                out.append(e.text());
            }
        }
        return out.toString();
    }

    /** Waits (without polling) until the recorded events satisfy {@code condition}. */
    public synchronized boolean await(Predicate<RecordingOutput> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void add(Event event) {
        events.add(event);
        notifyAll();
    }
}
