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
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.kernel.Version;
import org.hpckernel.protocol.Json;
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
                : new BatchScript.JavaPayload(p.java(), BatchScript.RUNNER_JVM_OPTIONS, runnerJarPath);
        return BatchScript.render(request.scheduler(), spec, p.workdir(), p.setup(), payload,
                "hpc-kernel " + Version.get() + " job " + spec.jobName() + " for cluster " + p.name()
                        + "; generated: what --dry-run shows is what runs");
    }

    public static String runnerJarPath(String workdir) throws IOException {
        return workdir + "/" + JobLayout.RUNNER_DIR + "/" + JobLayout.runnerJar(RunnerJar.get().sha256());
    }

    public static JobPackage write(Transport transport, Request request, JobSpec spec, String key)
            throws IOException, UnsupportedOptionException {
        String workdir = request.profile().workdir();
        String dir = spec.jobDir();
        String runner = runnerJarPath(workdir);
        String script = script(request, spec, runner);
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        java.util.Set<String> executables = new java.util.HashSet<>(java.util.Set.of(JobLayout.SCRIPT));
        if (request.payload().shebang()) {
            files.put(JobLayout.PAYLOAD, utf8(request.payload().body()));
            executables.add(JobLayout.PAYLOAD);
        } else {
            stageRunner(transport, workdir, runner);
            files.put(JobLayout.CELL, utf8(request.payload().body()));
            files.put(JobLayout.DECLARATIONS, utf8(String.join("\n\n", request.declarations()) + "\n"));
            files.put(JobLayout.CLASSPATH, utf8(String.join("\n", request.classpath()) + "\n"));
        }
        files.put(JobLayout.MANIFEST, utf8(manifest(request, spec, key)));
        files.put(JobLayout.SCRIPT, utf8(script));
        transport.writeDirectory(dir, files, executables);
        String scriptPath = dir + "/" + JobLayout.SCRIPT;
        return new JobPackage(key, dir, scriptPath, script, spec, request.contentHash());
    }

    /** Runner jars this kernel knows to be in place: they are named by their hash, so they never change. */
    private static final java.util.Set<String> STAGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The jar is named by its hash, so an existing file of that name is the right one. */
    private static void stageRunner(Transport transport, String workdir, String runnerPath) throws IOException {
        String key = transport.describe() + ":" + runnerPath;
        if (STAGED.contains(key)) return;
        if (transport.size(runnerPath) > 0) {
            STAGED.add(key);
            return;
        }
        transport.makePrivateDirectory(workdir + "/" + JobLayout.RUNNER_DIR);
        transport.writeFile(runnerPath, RunnerJar.get().bytes(), false);
        STAGED.add(key);
    }

    private static String manifest(Request request, JobSpec spec, String key) {
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
