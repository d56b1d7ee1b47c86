package org.hpckernel.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.hpckernel.eval.OutputCapture;
import org.hpckernel.kernel.history.HistoryStore;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.config.SessionClusters;
import org.hpckernel.magic.MagicRegistry;
import org.hpckernel.magic.Magics;
import org.hpckernel.protocol.ConnectionInfo;
import org.hpckernel.protocol.MessageLimits;
import org.hpckernel.protocol.MessageSigner;
import org.hpckernel.protocol.SignatureHistory;
import org.hpckernel.protocol.SocketLoop;
import org.hpckernel.protocol.WireCodec;
import org.hpckernel.protocol.content.KernelInfoReply;
import org.hpckernel.util.Log;
import org.hpckernel.util.Version;

/**
 * Puts the parts together and runs until shutdown. Sockets are bound first so that
 * kernel_info is answered at once; JShell warms up meanwhile on its own thread, and the first
 * request that needs it waits for it.
 */
public final class Kernel {
    private Kernel() {}

    /** Set to 1 (or pass {@code --allow-unsigned}) to run with an empty key, i.e. without authentication. */
    public static final String ALLOW_UNSIGNED_ENV = "HPC_KERNEL_ALLOW_UNSIGNED";
    public static final String ALLOW_UNSIGNED_FLAG = "--allow-unsigned";

    /** Thrown before anything is bound when the kernel must not start as configured. */
    public static final class RefusedStart extends Exception {
        public RefusedStart(String message) {
            super(message);
        }
    }

    public static void run(Path connectionFile, boolean allowUnsigned) throws IOException, InterruptedException, RefusedStart {
        ConnectionInfo connection = ConnectionInfo.read(connectionFile);
        MessageLimits limits;
        try {
            limits = MessageLimits.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new RefusedStart(e.getMessage());
        }
        checkKey(connection, connectionFile, allowUnsigned || "1".equals(System.getenv(ALLOW_UNSIGNED_ENV)));
        Log.useSink(System.err);
        OutputCapture capture = OutputCapture.install();
        Log.debug("starting with %s", connection);
        if (connection.key().isEmpty()) Log.warn("running WITHOUT message authentication (empty key, allowed explicitly)");

        EvaluatorStartup evaluator = EvaluatorStartup.begin(List.of());

        HistoryWriter history = new HistoryWriter(openHistory());
        HpcSession hpc = new HpcSession(SessionClusters.fromDefaultConfig());
        MagicRegistry magics = Magics.standard(hpc, new org.hpckernel.export.SessionExporter());
        KernelInfoReply kernelInfo = KernelInfo.reply();

        AtomicReference<MessageRouter> router = new AtomicReference<>();
        CountDownLatch routerReady = new CountDownLatch(1);
        SocketLoop sockets = new SocketLoop(connection,
                new WireCodec(new MessageSigner(connection.key(), connection.signatureScheme()), limits,
                        new SignatureHistory(SignatureHistory.DEFAULT_CAPACITY)),
                (channel, message) -> {
                    awaitQuietly(routerReady);
                    router.get().accept(channel, message);
                });
        Publisher publisher = new Publisher(sockets, UUID.randomUUID().toString(), "kernel");
        StdinBroker stdin = new StdinBroker(publisher);
        CountDownLatch done = new CountDownLatch(1);
        Lifecycle lifecycle = new Lifecycle(() -> {
            history.close();
            sockets.close();
            done.countDown();
        });
        CellDispatcher dispatcher = new CellDispatcher(evaluator, magics);
        ExecuteHandler execute = new ExecuteHandler(publisher, stdin, dispatcher, history, capture);
        ExecutionQueue queue = new ExecutionQueue(publisher, execute, lifecycle);
        ShellHandlers shell = new ShellHandlers(evaluator, magics, history, publisher, kernelInfo);
        ControlHandlers control = new ControlHandlers(lifecycle, execute::interrupt, kernelInfo);
        router.set(new MessageRouter(publisher, shell.table(), control.table(), queue, stdin, lifecycle));
        routerReady.countDown();

        SigintHandler.install(execute::interrupt);
        queue.start();
        sockets.start();
        Log.info("hpc-kernel %s ready (Java %s)", Version.get(), Runtime.version());
        done.await();
    }

    /**
     * An empty key turns message signing off: anyone who can reach the ports runs code as this
     * user. That must be asked for, never happen by accident.
     */
    static void checkKey(ConnectionInfo connection, Path file, boolean allowUnsigned) throws RefusedStart {
        if (!connection.key().isEmpty() || allowUnsigned) return;
        throw new RefusedStart("the connection file " + file + " has an empty \"key\": messages would not be "
                + "authenticated and any local user who can reach its ports could run code as you. Let Jupyter "
                + "write a key (it does by default), or, if you really want no authentication, start the kernel "
                + "with " + ALLOW_UNSIGNED_FLAG + " or set " + ALLOW_UNSIGNED_ENV + "=1.");
    }

    /** A read-only or full home must not stop the kernel: history then lasts for this session only. */
    private static HistoryStore openHistory() throws IOException {
        try {
            return HistoryStore.open(HistoryStore.defaultFile(), HistoryStore.DEFAULT_MAX_ENTRIES);
        } catch (IOException e) {
            Log.warn("history file %s unusable (%s); keeping history for this session only",
                    HistoryStore.defaultFile(), e.getMessage());
            java.nio.file.Path temp = java.nio.file.Files.createTempFile("hpc-kernel-history", ".jsonl");
            temp.toFile().deleteOnExit();
            return HistoryStore.open(temp, HistoryStore.DEFAULT_MAX_ENTRIES);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
