package org.hpckernel.kernel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.display.StdinUnavailableException;
import org.hpckernel.protocol.Message;

/** A cell's side effects, published on IOPub as children of the cell's execute_request. */
final class KernelCellOutput implements CellOutput {
    private final Publisher publisher;
    private final StdinBroker stdin;
    private final Message parent;
    private final boolean allowStdin;

    KernelCellOutput(Publisher publisher, StdinBroker stdin, Message parent, boolean allowStdin) {
        this.publisher = publisher;
        this.stdin = stdin;
        this.parent = parent;
        this.allowStdin = allowStdin;
    }

    @Override
    public void stream(String name, String text) {
        publisher.publish(parent, "stream", Map.of("name", name, "text", text));
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("data", bundle.data());
        content.put("metadata", bundle.metadata());
        if (displayId != null) content.put("transient", Map.of("display_id", displayId));
        publisher.publish(parent, update ? "update_display_data" : "display_data", content);
    }

    @Override
    public void clearOutput(boolean wait) {
        publisher.publish(parent, "clear_output", Map.of("wait", wait));
    }

    @Override
    public boolean canAsk() {
        return allowStdin;
    }

    @Override
    public String readLine(String prompt, boolean password) throws IOException {
        if (!allowStdin) {
            throw new StdinUnavailableException("this frontend does not accept input (allow_stdin is false, as in "
                    + "nbclient, papermill and nbconvert): give the value in the notebook instead of reading it");
        }
        return stdin.ask(parent, prompt, password);
    }
}
