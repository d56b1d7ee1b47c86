package org.hpckernel.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.display.MimeRenderer;
import java.lang.reflect.InvocationTargetException;
import org.hpckernel.eval.CellError;
import org.hpckernel.eval.OutputCapture;
import org.hpckernel.values.CellIO;
import org.hpckernel.values.CellProgram;

/**
 * Entry point on a compute node: {@code java -jar hpc-runner-node.jar JOBDIR}, with
 * {@code HPC_ARRAY_INDEX} (possibly empty) set for array tasks, and {@code HPC_ARRAY_BASE} for a
 * {@code --for} array on a scheduler whose task ids start there (the cell's element index is the
 * task id minus it; file names keep the task id). Runs the cell the kernel compiled
 * ({@code program.json}: a {@link CellProgram} in a jar, no compiler and no JShell here, so a JRE
 * is enough) with the notebook values shipped in {@code inputs.json}, and appends what happens to
 * {@code events[.I].jsonl} (see {@link EventWriter}): {@code start}, then
 * {@code stream}/{@code display}/{@code clear}, then {@code result} or {@code error}, then
 * {@code exit}. When the cell completed, its {@code --out} values go to {@code outputs[.I].json}
 * (see {@link OutputsFile}) before the exit event. The JVM exits with the exit event's code:
 * {@value #OK} the cell ran, {@value #CELL_FAILED} it failed, {@value #SETUP_FAILED} the runner
 * could not do its job (also explained on stderr).
 *
 * <p>If the JVM is shut down while the cell runs (System.exit in the cell, scancel, the time
 * limit) the output so far is flushed and an error event explains it; there is no exit event,
 * and the job's {@code exit[.I]} file has the real exit code.
 */
public final class RunnerMain {
    public static final int OK = 0;
    public static final int CELL_FAILED = 1;
    public static final int SETUP_FAILED = 2;
    static final String ARRAY_INDEX_ENV = "HPC_ARRAY_INDEX";
    /** The first task id of a --for array whose scheduler numbers tasks from 1 (Grid Engine, LSF); unset means 0. */
    public static final String ARRAY_BASE_ENV = "HPC_ARRAY_BASE";
    private static final String NAME = "hpc-runner";

    private RunnerMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(ARRAY_INDEX_ENV), System.getenv(ARRAY_BASE_ENV)));
    }

    static int run(String[] args, String arrayIndex, String arrayBase) {
        OutputCapture capture = OutputCapture.install();
        PrintStream log = capture.originalErr();
        if (args.length != 1 || args[0].isBlank()) {
            log.println("usage: java -jar " + NAME + ".jar JOBDIR   (" + ARRAY_INDEX_ENV
                    + " selects an array task's output files)");
            return SETUP_FAILED;
        }
        Path jobDir = Path.of(args[0]).toAbsolutePath();
        if (!Files.isDirectory(jobDir)) {
            log.println(NAME + ": job directory not found: " + jobDir);
            return SETUP_FAILED;
        }
        EventWriter events;
        Integer index;
        Integer element;
        try {
            index = JobInputs.arrayIndex(arrayIndex);
            element = JobInputs.elementIndex(index, arrayBase);
            events = EventWriter.open(jobDir.resolve(JobLayout.events(index)), log);
        } catch (JobInputs.SetupException e) {
            log.println(NAME + ": " + e.getMessage());
            return SETUP_FAILED;
        } catch (IOException | RuntimeException e) {
            log.println(NAME + ": cannot open the events file in " + jobDir + ": " + e);
            return SETUP_FAILED;
        }
        events.write("start", "node", hostname(), "java", Runtime.version().toString(),
                "pid", ProcessHandle.current().pid());
        EnvironmentJava.record(jobDir, index, log);
        Thread stopped = new Thread(() -> reportStop(capture, events), NAME + "-shutdown");
        Runtime.getRuntime().addShutdownHook(stopped);
        int code = runJob(jobDir, index, element, capture, events, log);
        capture.setTarget(null);
        if (!events.writeExit(code)) {
            code = SETUP_FAILED;
        }
        if (writesClassArchive()) {
            loadValueClasses();
        }
        return code;
    }

    /**
     * True when this JVM writes the runner's class-data archive at exit (job.sh's
     * {@code -XX:ArchiveClassesAtExit}, on the first Java job of this runner jar): the archive then
     * holds the classes this run loaded.
     */
    private static boolean writesClassArchive() {
        return ProcessHandle.current().info().arguments()
                .map(args -> java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit")))
                .orElse(false);
    }

    /**
     * Runs the value codec once, after the job's exit event, so that its classes (and Gson's) go
     * into the archive even when the first job shipped no values: a later job that does finds them
     * there instead of reading and verifying them from the jar (some 10 to 30 ms on a cold JVM).
     */
    private static void loadValueClasses() {
        try {
            org.hpckernel.values.ValueCodec codec = org.hpckernel.values.ValueCodec.standard();
            java.util.Map<String, String> members = org.hpckernel.values.SerialValues.unpack(codec.members(
                    org.hpckernel.values.ValueCodec.joinMembers(org.hpckernel.values.SerialValues.pack(java.util.Map.of(
                    "s", codec.encode("s", "text"), "n", codec.encode("n", 1), "l", codec.encode("l", List.of("a", "b")))))));
            codec.decode(members.get("s"), String.class);
            codec.decode(members.get("n"), int.class);
            codec.decode(members.get("l"), new org.hpckernel.values.TypeCapture<List<String>>() {}.type());
        } catch (Exception | LinkageError e) {
            // Only the archive misses out; the job is done.
        }
    }

    private static int runJob(Path jobDir, Integer arrayIndex, Integer element, OutputCapture capture, EventWriter events,
            PrintStream log) {
        JobInputs inputs;
        CellClasses classes;
        try {
            inputs = JobInputs.read(jobDir);
            classes = CellClasses.open(inputs.program(), inputs.classpath());
        } catch (JobInputs.SetupException e) {
            return setupFailed(events, log, e.getMessage(), List.of());
        }
        FileCellOutput output = new FileCellOutput(events, log);
        capture.setTarget(output);
        for (String entry : inputs.classpath()) {
            if (!Files.exists(Path.of(entry))) {
                System.err.println(NAME + ": class path entry not found on this node: " + entry);
            }
        }
        CellTraceback tracebacks = new CellTraceback(classes, inputs.program().mainClass());
        NodeCellIO io = new NodeCellIO(inputs.values(), element, classes.loader(), inputs.program().maxInputBytes(),
                inputs.program().maxOutputBytes(), inputs.program().objectOutputs());
        Object result;
        try {
            result = runCell(classes, inputs.program().mainClass(), io);
        } catch (JobInputs.SetupException e) {
            capture.flush();
            return setupFailed(events, log, e.getMessage(), List.of());
        } catch (Throwable e) {
            capture.flush();
            error(events, tracebacks.of(e));
            return CELL_FAILED;
        }
        capture.flush();
        if (result != CellIO.NO_VALUE) {
            try {
                output.result(MimeRenderer.render(result));
            } catch (RuntimeException e) {
                error(events, new CellError(e.getClass().getName(), "cannot show the cell's value: " + e.getMessage(),
                        List.of(e.toString())));
                return CELL_FAILED;
            }
        }
        if (io.hasOutputs()) {
            Path file = jobDir.resolve(JobLayout.outputs(arrayIndex));
            try {
                OutputsFile.write(file, io.outputsJson());
            } catch (IOException | RuntimeException e) {
                return setupFailed(events, log, "the cell ran, but its --out values could not be written to " + file
                        + ": " + e, List.of());
            }
        }
        return OK;
    }

    /**
     * Creates the cell's program and runs it once.
     *
     * @throws JobInputs.SetupException if the class is not there or not a cell
     * @throws Throwable what the cell (its constructor, a static initializer, its body) threw
     */
    private static Object runCell(CellClasses classes, String mainClass, NodeCellIO io) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Libraries of the session (ServiceLoader and the like) look for their classes here.
        thread.setContextClassLoader(classes.loader());
        try {
            CellProgram program;
            try {
                program = classes.program(mainClass);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } catch (ExceptionInInitializerError e) {
                throw e.getCause() != null ? e.getCause() : e;
            } catch (ReflectiveOperationException e) {
                throw new JobInputs.SetupException("cannot create the cell's class " + mainClass + ": " + e);
            }
            return program.run(io);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static int setupFailed(EventWriter events, PrintStream log, String message, List<String> details) {
        log.println(NAME + ": " + message);
        List<String> traceback = new ArrayList<>();
        traceback.add("RunnerError: " + message);
        traceback.addAll(details);
        error(events, new CellError("RunnerError", message, traceback));
        return SETUP_FAILED;
    }

    private static void error(EventWriter events, CellError error) {
        events.write("error", "ename", error.ename(), "evalue", error.evalue(), "traceback", error.traceback());
    }

    /** Shutdown before the exit event: keep the output so far and say why the cell stopped. */
    private static void reportStop(OutputCapture capture, EventWriter events) {
        if (events.closed()) {
            return;
        }
        capture.flush();
        String message = "the runner's JVM was shut down before the cell finished"
                + " (System.exit in the cell, a cancelled job or the job's time limit)";
        events.write("error", "ename", "RunnerStopped", "evalue", message,
                "traceback", List.of("RunnerStopped: " + message));
    }

    /** The kernel's host name, as {@code hostname} prints it, without a DNS lookup. */
    static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
