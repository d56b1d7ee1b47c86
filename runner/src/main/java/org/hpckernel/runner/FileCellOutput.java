package org.hpckernel.runner;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.display.StdinUnavailableException;

/** A cell's side effects as events; a batch job has no stdin, so input requests fail clearly. */
final class FileCellOutput implements CellOutput {
    static final String NO_INPUT = "a batch job cannot read input: pass the value in the cell or with --env";

    private final EventWriter events;
    private final PrintStream fallback;

    /** @param fallback where text goes that arrives after the exit event (the runner's stderr) */
    FileCellOutput(EventWriter events, PrintStream fallback) {
        this.events = events;
        this.fallback = fallback;
    }

    @Override
    public void stream(String name, String text) {
        if (!events.write("stream", "name", name, "text", text)) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            fallback.write(bytes, 0, bytes.length);
            fallback.flush();
        }
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        events.write("display", "id", displayId, "update", update,
                "data", bundle.data(), "metadata", bundle.metadata());
    }

    @Override
    public void clearOutput(boolean wait) {
        events.write("clear", "wait", wait);
    }

    /** Writes the value of a cell's final expression. */
    void result(MimeBundle bundle) {
        events.write("result", "data", bundle.data(), "metadata", bundle.metadata());
    }

    @Override
    public String readLine(String prompt, boolean password) throws StdinUnavailableException {
        throw new StdinUnavailableException(NO_INPUT);
    }
}
