package org.hpckernel.kernel;

import java.util.HashMap;
import java.util.Map;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.content.KernelInfoReply;
import org.hpckernel.protocol.content.ShutdownRequest;

/** Requests served on the control thread, so they are answered while a cell runs. */
final class ControlHandlers {
    private final Lifecycle lifecycle;
    private final Runnable interrupt;
    private final KernelInfoReply kernelInfo;

    ControlHandlers(Lifecycle lifecycle, Runnable interrupt, KernelInfoReply kernelInfo) {
        this.lifecycle = lifecycle;
        this.interrupt = interrupt;
        this.kernelInfo = kernelInfo;
    }

    Map<String, RequestHandler> table() {
        Map<String, RequestHandler> t = new HashMap<>();
        t.put("shutdown_request", this::shutdown);
        t.put("interrupt_request", r -> {
            interrupt.run();
            return Map.of("status", "ok");
        });
        t.put("kernel_info_request", r -> kernelInfo);
        return t;
    }

    private Object shutdown(Message request) {
        ShutdownRequest req = request.content(ShutdownRequest.class);
        boolean restart = req != null && Boolean.TRUE.equals(req.restart());
        // Jobs on a cluster are not touched: a restart is "in place" and they outlive the kernel.
        lifecycle.requestShutdown();
        return Map.of("status", "ok", "restart", restart);
    }
}
