package org.hpckernel.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.eval.Completion;
import org.hpckernel.eval.Inspection;
import org.hpckernel.eval.IsComplete;
import org.hpckernel.kernel.history.HistoryEntry;
import org.hpckernel.magic.MagicRegistry;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.content.CommOpen;
import org.hpckernel.protocol.content.CompleteReply;
import org.hpckernel.protocol.content.CompleteRequest;
import org.hpckernel.protocol.content.HistoryRequest;
import org.hpckernel.protocol.content.InspectReply;
import org.hpckernel.protocol.content.InspectRequest;
import org.hpckernel.protocol.content.IsCompleteReply;
import org.hpckernel.protocol.content.IsCompleteRequest;
import org.hpckernel.protocol.content.KernelInfoReply;

/**
 * The shell requests other than execute. They run on the shell thread, beside a running cell,
 * so none of them may wait for the cell to finish.
 */
final class ShellHandlers {
    private final EvaluatorStartup evaluator;
    private final MagicRegistry magics;
    private final HistoryWriter history;
    private final Publisher publisher;
    private final KernelInfoReply kernelInfo;

    ShellHandlers(EvaluatorStartup evaluator, MagicRegistry magics, HistoryWriter history, Publisher publisher,
            KernelInfoReply kernelInfo) {
        this.evaluator = evaluator;
        this.magics = magics;
        this.history = history;
        this.publisher = publisher;
        this.kernelInfo = kernelInfo;
    }

    Map<String, RequestHandler> table() {
        Map<String, RequestHandler> t = new HashMap<>();
        t.put("kernel_info_request", r -> kernelInfo);
        t.put("complete_request", this::complete);
        t.put("inspect_request", this::inspect);
        t.put("is_complete_request", this::isComplete);
        t.put("history_request", this::history);
        t.put("comm_info_request", r -> Map.of("status", "ok", "comms", Map.of()));
        t.put("comm_open", this::commOpen);
        t.put("comm_msg", r -> null);
        t.put("comm_close", r -> null);
        return t;
    }

    private Object complete(Message request) {
        CompleteRequest req = request.content(CompleteRequest.class);
        String code = req.code() == null ? "" : req.code();
        int cursor = CodePoints.toCharIndex(code, req.cursorPos() == null ? code.codePointCount(0, code.length()) : req.cursorPos());
        Completion c = magics.complete(code, cursor).orElseGet(() -> evaluator.get().complete(code, cursor));
        return new CompleteReply("ok", c.matches(), CodePoints.toCodePoint(code, c.cursorStart()),
                CodePoints.toCodePoint(code, c.cursorEnd()), c.replyMetadata(code));
    }

    private Object inspect(Message request) {
        InspectRequest req = request.content(InspectRequest.class);
        String code = req.code() == null ? "" : req.code();
        int cursor = CodePoints.toCharIndex(code, req.cursorPos() == null ? code.codePointCount(0, code.length()) : req.cursorPos());
        Inspection found = evaluator.get().inspect(code, cursor, req.detailLevel() == null ? 0 : req.detailLevel());
        Map<String, Object> data = found.found() ? Map.of("text/plain", found.text()) : Map.of();
        return new InspectReply("ok", found.found(), data, Map.of());
    }

    private Object isComplete(Message request) {
        IsCompleteRequest req = request.content(IsCompleteRequest.class);
        String code = req.code() == null ? "" : req.code();
        if (code.stripLeading().startsWith("%")) {
            // A magic cell is complete when it ends with an empty line (as in IPython's console).
            return code.endsWith("\n") || !code.stripLeading().startsWith("%%")
                    ? new IsCompleteReply("complete", null) : new IsCompleteReply("incomplete", "");
        }
        IsComplete answer = evaluator.get().isComplete(code);
        return new IsCompleteReply(answer.status(), "incomplete".equals(answer.status()) ? answer.indent() : null);
    }

    private Object history(Message request) {
        HistoryRequest req = request.content(HistoryRequest.class);
        boolean output = Boolean.TRUE.equals(req.output());
        String access = req.histAccessType() == null ? "tail" : req.histAccessType();
        List<HistoryEntry> entries = switch (access) {
            case "tail" -> history.settled().tail(req.n() == null ? 10 : req.n());
            case "range" -> history.settled().range(req.session() == null ? 0 : req.session(),
                    req.start() == null ? 1 : req.start(), req.stop() == null ? Integer.MAX_VALUE : req.stop());
            case "search" -> history.settled().search(req.pattern() == null ? "*" : req.pattern(),
                    Boolean.TRUE.equals(req.unique()), req.n() == null ? 0 : req.n());
            default -> throw new IllegalArgumentException("hist_access_type must be tail, range or search, not " + access);
        };
        List<Object> rows = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            Object input = output ? java.util.Arrays.asList(e.input(), e.output()) : e.input();
            rows.add(java.util.Arrays.asList(e.session(), e.line(), input));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "ok");
        reply.put("history", rows);
        return reply;
    }

    /** No comm targets are registered: the spec says to close an unknown comm at once. */
    private Object commOpen(Message request) {
        CommOpen open = request.content(CommOpen.class);
        if (open.commId() != null) {
            publisher.publish(request, "comm_close", Map.of("comm_id", open.commId(), "data", Map.of()));
        }
        return null;
    }
}
