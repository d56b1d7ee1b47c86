package org.hpckernel.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.eval.OutputCapture;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.content.ErrorContent;
import org.hpckernel.protocol.content.ExecuteReply;
import org.hpckernel.protocol.content.ExecuteRequest;

/**
 * One execute_request from start to reply: count, execute_input, run with output routed to this
 * cell, flush, result or error, history. The execution queue wraps it in busy/idle.
 */
final class ExecuteHandler {
    /** The reply, and whether the requests queued behind this one must be aborted. */
    record Outcome(ExecuteReply reply, boolean abortQueue) {}

    private final Publisher publisher;
    private final StdinBroker stdin;
    private final CellDispatcher dispatcher;
    private final HistoryWriter history;
    private final OutputCapture capture;
    private int executionCount;

    ExecuteHandler(Publisher publisher, StdinBroker stdin, CellDispatcher dispatcher, HistoryWriter history,
            OutputCapture capture) {
        this.publisher = publisher;
        this.stdin = stdin;
        this.dispatcher = dispatcher;
        this.history = history;
        this.capture = capture;
    }

    Outcome execute(Message request) {
        ExecuteRequest req;
        try {
            req = request.content(ExecuteRequest.class);
            if (req == null) throw new IllegalArgumentException("no content");
        } catch (RuntimeException e) {
            ErrorContent error = new ErrorContent("BadRequest", "malformed execute_request: " + e.getMessage(), List.of());
            publisher.publish(request, "error", error);
            return new Outcome(ExecuteReply.error(executionCount, error), false);
        }
        String code = req.codeOrEmpty();
        if (req.storesHistory()) executionCount++;
        int count = executionCount;
        if (!req.isSilent()) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("code", code);
            input.put("execution_count", count);
            publisher.publish(request, "execute_input", input);
        }
        capture.setTarget(new KernelCellOutput(publisher, stdin, request, req.allowsStdin()));
        CellOutcome outcome;
        try {
            outcome = dispatcher.run(code, count, capture.target(), origin(request));
        } finally {
            capture.flush();
        }
        String plainResult = null;
        if (outcome.error() != null) {
            publisher.publish(request, "error", outcome.error());
        } else if (outcome.result() != null && !req.isSilent()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("execution_count", count);
            result.put("data", outcome.result().data());
            result.put("metadata", outcome.result().metadata());
            publisher.publish(request, "execute_result", result);
            Object plain = outcome.result().data().get("text/plain");
            plainResult = plain == null ? null : plain.toString();
        }
        if (req.storesHistory()) {
            history.add(count, code, plainResult);
        }
        if (outcome.error() != null) {
            return new Outcome(ExecuteReply.error(count, outcome.error()), req.stopsOnError());
        }
        return new Outcome(ExecuteReply.ok(count, outcome.payload()), false);
    }

    /**
     * Where the cell comes from, for the job ledger: JupyterLab sends the cell id in the request's
     * metadata; Jupyter Server tells the kernel its notebook path in JPY_SESSION_NAME.
     */
    private static Map<String, String> origin(Message request) {
        Map<String, String> origin = new LinkedHashMap<>();
        String notebook = System.getenv("JPY_SESSION_NAME");
        if (notebook != null && !notebook.isBlank()) origin.put("notebook", notebook);
        com.google.gson.JsonElement cellId = request.metadata() == null ? null : request.metadata().get("cellId");
        if (cellId != null && cellId.isJsonPrimitive()) origin.put("cellId", cellId.getAsString());
        return origin;
    }

    ExecuteReply internalError(Throwable e) {
        return ExecuteReply.error(executionCount, new ErrorContent("KernelError",
                "the kernel failed while running this cell: " + e, List.of(e.toString())));
    }

    ExecuteReply aborted() {
        return ExecuteReply.error(executionCount, new ErrorContent("ExecutionAborted",
                "not run: an earlier cell failed and stop_on_error is set", List.of()));
    }

    void interrupt() {
        stdin.cancel();
        dispatcher.interrupt();
    }
}
