package org.hpckernel.hpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.util.Version;
import org.hpckernel.util.Json;
import org.hpckernel.runner.JobLayout;
import org.hpckernel.translate.CompiledCell;
import org.hpckernel.values.SerialValues;

/**
 * Writes a job directory: private (0700), holding the payload, the shipped values, the manifest
 * and job.sh, in one staging round trip. For Java cells it also makes sure the runner jar and the
 * cell's compiled classes are in the work directory: both are named by their SHA-256, uploaded
 * only when missing, and checked again by job.sh on the node.
 */
public final class JobPackager {
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cell and its context, as the kernel knows them. */
    public record Request(ClusterProfile profile, Scheduler scheduler, CellPayload payload, String cellText,
            List<String> options, List<String> classpath, String contentHash, Map<String, String> origin, CellValues values) {
        /** A #! cell without values (benchmarks, tests); {@code declarations} are not used any more. */
        public Request(ClusterProfile profile, Scheduler scheduler, CellPayload payload, String cellText,
                List<String> options, List<String> declarations, List<String> classpath, String contentHash,
                Map<String, String> origin) {
            this(profile, scheduler, payload, cellText, options, classpath, contentHash, origin, CellValues.none());
        }
    }

    private JobPackager() {}

    public static String newKey() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return KEY_TIME.format(Instant.now()) + "-" + java.util.HexFormat.of().formatHex(random);
    }

    public static String jobDir(String workdir, String key) {
        return workdir + "/" + JobLayout.JOBS_DIR + "/" + key;
    }

    /** The script alone, for --dry-run: nothing is written. */
    public static String script(Request request, JobSpec spec, String runnerJarPath) throws UnsupportedOptionException {
        ClusterProfile p = request.profile();
        BatchScript.Payload payload;
        if (request.payload().shebang()) {
            payload = new BatchScript.ShebangPayload(request.values().returns().outputs().stream().map(ReturnPlan.Output::name).toList());
        } else {
            CompiledCell compiled = request.values().compiled();
            if (compiled == null) throw new IllegalArgumentException("a Java cell is compiled before it is packaged");
            payload = new BatchScript.JavaPayload(p.java(), BatchScript.RUNNER_JVM_OPTIONS, runnerJarPath, runnerSha256(),
                    ValueFiles.cellJarPath(p.workdir(), compiled.jarSha256()), compiled.jarSha256(), jobClasspath(request).jars());
        }
        return BatchScript.render(request.scheduler(), spec, p.workdir(), p.setup(), payload,
                "hpc-kernel " + Version.get() + " job " + spec.jobName() + " for cluster " + p.name()
                        + "; generated: what --dry-run shows is what runs");
    }

    public static String runnerJarPath(String workdir) throws IOException {
        return workdir + "/" + JobLayout.RUNNER_DIR + "/" + JobLayout.runnerJar(RunnerJar.get().sha256());
    }

    private static JobClasspath jobClasspath(Request request) {
        try {
            return JobClasspath.of(request.profile().workdir(), request.classpath());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String runnerSha256() {
        try {
            return RunnerJar.get().sha256();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Checks (or creates) the work directory, stages the runner for a Java cell, then the job
     * directory. Whatever fails leaves nothing half-written behind: a job directory that could not
     * be written whole is removed, and a full file system is named as such.
     */
    public static JobPackage write(Transport transport, Request request, JobSpec spec, String key)
            throws IOException, UnsupportedOptionException {
        String workdir = request.profile().workdir();
        String script = script(request, spec, runnerJarPath(workdir));
        try {
            return stage(transport, request, spec, key, script);
        } catch (WorkdirGuard.UnsafeDirectoryException e) {
            throw e;
        } catch (IOException e) {
            try {
                transport.delete(spec.jobDir());
            } catch (IOException | RuntimeException ignored) {
                // best effort: the cause below is what the user must see
            }
            throw StagingFailure.explain(transport, workdir, e);
        }
    }

    private static JobPackage stage(Transport transport, Request request, JobSpec spec, String key, String script)
            throws IOException {
        String workdir = request.profile().workdir();
        WorkdirGuard.ensure(transport, workdir);
        String dir = spec.jobDir();
        String runner = runnerJarPath(workdir);
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        java.util.Set<String> executables = new java.util.HashSet<>(java.util.Set.of(JobLayout.SCRIPT));
        List<Map<String, Object>> jars = List.of();
        CellValues values = request.values();
        if (request.payload().shebang()) {
            files.put(JobLayout.PAYLOAD, utf8(request.payload().body()));
            executables.add(JobLayout.PAYLOAD);
            for (EncodedValue in : values.inputs()) files.put(ValueFiles.SCRIPT_INPUTS_DIR + "/" + in.name() + ".json", in.bytes());
        } else {
            RunnerJar runnerJar = RunnerJar.get();
            StagedFile.ensure(transport, runner, runnerJar.size(), runnerJar::bytes, "runner jar");
            CompiledCell compiled = values.compiled();
            String cellJar = ValueFiles.cellJarPath(workdir, compiled.jarSha256());
            StagedFile.ensure(transport, cellJar, compiled.jar().length, compiled::jar, "cell's compiled classes");
            JobClasspath classpath = jobClasspath(request);
            classpath.stage(transport);
            jars = classpath.manifest();
            files.put(ValueFiles.PROGRAM, utf8(program(compiled, cellJar,
                    SerialValues.Limits.forCap(values.maxInputBytes()).maxBytes(),
                    SerialValues.Limits.forCap(request.profile().caps().maxOutputBytes()).maxBytes(),
                    objectOutputs(values.returns()))));
            files.put(ValueFiles.INPUTS, utf8(inputs(values.inputs())));
            files.put(JobLayout.CLASSPATH, utf8(String.join("\n", classpath.entries()) + "\n"));
        }
        files.put(JobLayout.MANIFEST, utf8(manifest(request, spec, key, jars)));
        files.put(JobLayout.SCRIPT, utf8(script));
        transport.writeDirectory(dir, files, executables);
        String scriptPath = dir + "/" + JobLayout.SCRIPT;
        return new JobPackage(key, dir, scriptPath, script, spec, request.contentHash());
    }

    /** What the runner runs: the cell's class in its jar, which it checks against the hash too. */
    static String program(CompiledCell compiled, String jarPath) {
        return program(compiled, jarPath, 0, 0, List.of());
    }

    /** The --out names declared Object: the node writes their values with their type's tag, so a Long comes back a Long. */
    static List<String> objectOutputs(ReturnPlan returns) {
        return returns.outputs().stream().filter(o -> org.hpckernel.values.ValueCodec.declared(o.type()) != null)
                .map(ReturnPlan.Output::name).toList();
    }

    /**
     * @param maxInputBytes the byte limit of a value in binary form read on the node (inputs) and
     *     {@code maxOutputBytes} of one written there (outputs), from the cell's caps; 0 for none
     * @param objectOutputs the --out names declared Object ({@link #objectOutputs})
     */
    static String program(CompiledCell compiled, String jarPath, long maxInputBytes, long maxOutputBytes, List<String> objectOutputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mainClass", compiled.mainClass());
        m.put("jar", jarPath);
        m.put("jarSha256", compiled.jarSha256());
        if (maxInputBytes > 0) m.put("maxInputBytes", maxInputBytes);
        if (maxOutputBytes > 0) m.put("maxOutputBytes", maxOutputBytes);
        if (!objectOutputs.isEmpty()) m.put("objectOutputs", objectOutputs);
        return Json.GSON.toJson(m);
    }

    /** The notebook values as the runner reads them: {name: value}, each value the codec's JSON as is. */
    static String inputs(List<EncodedValue> inputs) {
        return ValueFiles.inputsJson(inputs);
    }

    private static String manifest(Request request, JobSpec spec, String key, List<Map<String, Object>> jars) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("cluster", request.profile().name());
        m.put("scheduler", request.scheduler().name());
        m.put("kind", request.payload().shebang() ? "shebang" : "java");
        m.put("jobName", spec.jobName());
        m.put("options", request.options());
        m.put("cell", request.cellText());
        m.put("classpath", request.classpath());
        m.put("jars", jars);
        m.put("environment", spec.environment().asked(spec.modules())); // what was asked; environment.json: what ran
        CellValues values = request.values();
        List<Map<String, Object>> shipped = new java.util.ArrayList<>();
        for (EncodedValue in : values.inputs()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", in.name());
            v.put("type", in.type());
            v.put("bytes", in.size());
            v.put("sha256", in.sha256());
            if (in.serialized()) v.put("encoding", ValueFiles.SERIALIZED_ENCODING);
            shipped.add(v);
        }
        m.put("inputs", shipped);
        m.put("returns", values.returns().toJson());
        if (values.compiled() != null) {
            m.put("program", Json.GSON.fromJson(program(values.compiled(), ValueFiles.cellJarPath(request.profile().workdir(),
                    values.compiled().jarSha256())), Map.class));
            m.put("sources", values.compiled().sources());
        }
        m.put("contentHash", request.contentHash());
        m.put("origin", request.origin());
        m.put("kernelVersion", Version.get());
        m.put("created", Instant.now().toString());
        return Json.GSON.toJson(m);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
