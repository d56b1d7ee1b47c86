package org.hpckernel.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.hpckernel.display.DisplayHost;
import org.hpckernel.display.DisplayHosts;
import org.hpckernel.display.DisplayTarget;
import org.hpckernel.display.StdinUnavailableException;

/**
 * Process-wide capture of {@code System.out}, {@code System.err} and {@code System.in}, routed to
 * the {@link CellOutput} of the cell that is running. Installed once; the host switches the
 * target per cell and calls {@link #flush()} at the end of a cell and before publishing a
 * display. Writes from any thread, including threads a cell started, go to the current target;
 * with no target they go to the original stderr.
 */
public final class OutputCapture implements DisplayHost {
    private static volatile OutputCapture instance;

    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final InputStream originalIn;
    private final StreamCoalescer stdout;
    private final StreamCoalescer stderr;
    private final InputBroker input = new InputBroker();
    private volatile CellOutput target;

    private OutputCapture() {
        originalOut = System.out;
        originalErr = System.err;
        originalIn = System.in;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                task -> DaemonThreads.create("hpc-output-flush", task));
        timer.setRemoveOnCancelPolicy(true);
        stdout = new StreamCoalescer("stdout", this::emit, timer);
        stderr = new StreamCoalescer("stderr", this::emit, timer);
    }

    /** Replaces the standard streams on first call; later calls return the same instance. */
    public static OutputCapture install() {
        OutputCapture current = instance;
        if (current != null) {
            return current;
        }
        synchronized (OutputCapture.class) {
            if (instance == null) {
                OutputCapture capture = new OutputCapture();
                System.setOut(new CapturePrintStream(capture.stdout));
                System.setErr(new CapturePrintStream(capture.stderr));
                System.setIn(new CaptureInputStream(capture));
                DisplayHosts.install(capture);
                instance = capture;
            }
            return instance;
        }
    }

    /** The installed capture, or null when {@link #install()} was never called. */
    public static OutputCapture current() {
        return instance;
    }

    /** Flushes what the previous target's cell wrote, then routes everything to {@code output}. */
    public void setTarget(CellOutput output) {
        flush();
        target = output;
    }

    public CellOutput target() {
        return target;
    }

    @Override
    public boolean hasTarget() {
        return target != null;
    }

    @Override
    public DisplayTarget flushAndGetTarget() {
        flush();
        return target;
    }

    /** Emits both streams' buffered text now, in the calling thread. */
    public void flush() {
        stdout.flush();
        stderr.flush();
    }

    /** The stdout the process had before {@link #install()}: for host logging. */
    public PrintStream originalOut() {
        return originalOut;
    }

    /** The stderr the process had before {@link #install()}: for host logging. */
    public PrintStream originalErr() {
        return originalErr;
    }

    public InputStream originalIn() {
        return originalIn;
    }

    /**
     * One line from the current target, after flushing output so a prompt printed with
     * {@code System.out.print} shows first.
     *
     * @throws StdinUnavailableException if there is no target or the frontend allows no input
     * @throws java.io.InterruptedIOException if {@link #cancelPendingInput()} released the wait
     */
    @Override
    public String readLine(String prompt, boolean password) throws IOException {
        CellOutput output = target;
        if (output == null) {
            throw new StdinUnavailableException("no frontend is attached");
        }
        flush();
        return input.readLine(output, prompt, password);
    }

    /** Makes every pending {@link #readLine} give up (used when a cell is interrupted). */
    public void cancelPendingInput() {
        input.cancelAll();
    }

    private void emit(String streamName, String text) {
        CellOutput output = target;
        if (output != null) {
            try {
                output.stream(streamName, text);
                return;
            } catch (RuntimeException e) {
                originalErr.println("hpc-kernel: output target failed (" + e + "); text follows");
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        originalErr.write(bytes, 0, bytes.length);
        originalErr.flush();
    }
}
