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

/**
 * Writes a job directory: private (0700), holding the payload, the manifest and job.sh. For Java
 * cells it also makes sure the runner jar is in the work directory, uploaded once per version.
 */
public final class JobPackager {
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cell and its context, as the kernel knows them. */
    public record Request(ClusterProfile profile, Scheduler scheduler, CellPayload payload, String cellText,
            List<String> options, List<String> declarations, List<String> classpath, String contentHash,
            Map<String, String> origin) {}

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
        BatchScript.Payload payload = request.payload().shebang()
                ? new BatchScript.ShebangPayload()
                : new BatchScript.JavaPayload(p.java(), BatchScript.RUNNER_JVM_OPTIONS, runnerJarPath, runnerSha256(),
                        jobClasspath(request).jars());
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
        if (request.payload().shebang()) {
            files.put(JobLayout.PAYLOAD, utf8(request.payload().body()));
            executables.add(JobLayout.PAYLOAD);
        } else {
            stageRunner(transport, runner);
            JobClasspath classpath = jobClasspath(request);
            classpath.stage(transport);
            jars = classpath.manifest();
            files.put(JobLayout.CELL, utf8(request.payload().body()));
            files.put(JobLayout.DECLARATIONS, utf8(String.join("\n\n", request.declarations()) + "\n"));
            files.put(JobLayout.CLASSPATH, utf8(String.join("\n", classpath.entries()) + "\n"));
        }
        files.put(JobLayout.MANIFEST, utf8(manifest(request, spec, key, jars)));
        files.put(JobLayout.SCRIPT, utf8(script));
        transport.writeDirectory(dir, files, executables);
        String scriptPath = dir + "/" + JobLayout.SCRIPT;
        return new JobPackage(key, dir, scriptPath, script, spec, request.contentHash());
    }

    /** One stat per Java cell; see {@link StagedFile}. */
    private static void stageRunner(Transport transport, String runnerPath) throws IOException {
        RunnerJar jar = RunnerJar.get();
        StagedFile.ensure(transport, runnerPath, jar.size(), jar::bytes, "runner jar");
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
        m.put("declarations", request.declarations());
        m.put("classpath", request.classpath());
        m.put("jars", jars);
        m.put("environment", spec.environment().asked(spec.modules())); // what was asked; environment.json: what ran
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
