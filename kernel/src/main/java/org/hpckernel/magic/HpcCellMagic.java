package org.hpckernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.ArraySpec;
import org.hpckernel.hpc.CellJobListener;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.JobPackage;
import org.hpckernel.hpc.JobPackager;
import org.hpckernel.hpc.NotebookVariables;
import org.hpckernel.hpc.SessionJob;
import org.hpckernel.hpc.StatusLine;
import org.hpckernel.hpc.Submitter;
import org.hpckernel.hpc.TrackedJob;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.JobSpecs;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;

/**
 * {@code %%hpc [options]}: the cell becomes a batch job; its output, displays and result come
 * back into the cell while it runs, and the cell fails unless the job completed with exit code 0.
 * Every check happens before anything is written or submitted.
 */
final class HpcCellMagic implements CellMagic {
    private final HpcSession session;

    HpcCellMagic(HpcSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "hpc";
    }

    @Override
    public String summary() {
        return "run this cell as a batch job on a cluster (options like sbatch: -p, -t, -N, --mem…; %hpc help)";
    }

    @Override
    public List<String> complete(List<String> wordsBefore, String prefix) {
        if (!wordsBefore.isEmpty()) {
            HpcOption previous = HpcOption.byName(wordsBefore.get(wordsBefore.size() - 1)).orElse(null);
            if (previous != null && previous.takesValue()) return List.of();
        }
        List<String> matches = new ArrayList<>();
        for (HpcOption o : HpcOption.values()) {
            if (o.longName().startsWith(prefix) && (o.repeatable() || !wordsBefore.contains(o.longName()))) {
                matches.add(o.longName());
            }
        }
        return matches;
    }

    @Override
    public MimeBundle run(List<String> args, String body, MagicContext context) throws Exception {
        HpcArguments options = HpcArguments.parse(args);
        if (body.isBlank()) throw MagicException.usage("%%hpc needs a cell body: Java code, or a script starting with #!");
        CellPayload payload = CellPayload.of(body);
        List<String> declarations = List.of();
        List<String> classpath = List.of();
        if (!payload.shebang()) {
            Set<String> used = NotebookVariables.used(body, context.evaluator().variableNames());
            if (!used.isEmpty()) {
                throw MagicException.usage("this cell uses notebook variable(s) " + String.join(", ", used)
                        + ", but variables are not shipped to jobs (yet): declare them inside the cell, "
                        + "or pass values with --env NAME=VALUE and read System.getenv(\"NAME\")");
            }
            declarations = context.evaluator().declarations();
            classpath = context.evaluator().classpath();
        }
        ClusterSession cluster = session.cluster(options.cluster().orElse(null));
        String key = JobPackager.newKey();
        String jobDir = JobPackager.jobDir(cluster.profile().workdir(), key);
        JobSpec spec = JobSpecs.build(options, cluster.profile(), "hpc-" + key, jobDir);
        if (spec.isArray()) validateArray(spec.array());
        JobPackager.Request request = new JobPackager.Request(cluster.profile(), cluster.scheduler(), payload,
                "%%hpc " + String.join(" ", args) + "\n" + body, args, declarations, classpath,
                contentHash(cluster.name(), args, body), Map.of());

        if (options.has(HpcOption.DRY_RUN)) {
            String script;
            try {
                script = JobPackager.script(request, spec, JobPackager.runnerJarPath(cluster.profile().workdir()));
            } catch (UnsupportedOptionException e) {
                throw MagicException.usage(e.getMessage());
            }
            context.output().stream("stdout", "# dry run: nothing submitted. " + cluster.scheduler().name()
                    + " would run this " + jobDir + "/job.sh:\n" + script);
            return null;
        }

        JobPackage job;
        String jobId;
        try {
            job = JobPackager.write(cluster.transport(), request, spec, key);
            jobId = Submitter.submit(cluster, job);
        } catch (UnsupportedOptionException e) {
            throw MagicException.usage(e.getMessage());
        } catch (SchedulerException e) {
            throw new MagicException("SubmissionRefused", cluster.scheduler().name() + " refused the job: " + e.getMessage(),
                    List.of("SubmissionRefused: " + cluster.name() + " (" + cluster.scheduler().name() + ") said:", e.getMessage()));
        } catch (IOException e) {
            throw new MagicException("SubmissionFailed", "could not submit to " + cluster.name() + ": " + e.getMessage(), List.of());
        }

        if (options.has(HpcOption.DETACH)) {
            session.record(new SessionJob(jobId, cluster.name(), key, jobDir, Instant.now(), summary(body), null));
            context.output().stream("stdout", "Submitted job " + jobId + " to " + cluster.name() + " (detached: it keeps running).\n"
                    + "Follow it with %hpc status " + jobId + " and %hpc logs " + jobId + "; stop it with %hpc cancel " + jobId + ".\n");
            return null;
        }
        return follow(context, cluster, jobId, key, jobDir, spec, body);
    }

    private MimeBundle follow(MagicContext context, ClusterSession cluster, String jobId, String key, String jobDir, JobSpec spec,
            String body) throws MagicException, InterruptedException {
        String statusId = UUID.randomUUID().toString();
        List<Integer> tasks = spec.isArray() ? ArraySpec.indices(spec.array()) : null;
        context.output().display(StatusLine.live(new org.hpckernel.hpc.JobView(jobId, cluster.name(), JobState.PENDING,
                "submitted", null, java.time.Duration.ZERO, Map.of(), null)), statusId, false);
        CellJobListener listener = new CellJobListener(context.output(), statusId, cluster.profile().monitoring().outputCap(), tasks != null);
        TrackedJob tracked = session.monitor().follow(jobId, cluster, jobDir, tasks, listener);
        session.record(new SessionJob(jobId, cluster.name(), key, jobDir, Instant.now(), summary(body), tracked));
        context.onInterrupt(() -> {
            try {
                session.monitor().cancel(tracked);
            } catch (IOException e) {
                context.output().stream("stderr", "could not cancel job " + jobId + ": " + e.getMessage() + "\n");
            }
        });
        JobOutcome outcome;
        try {
            outcome = tracked.outcome().get();
        } catch (ExecutionException e) {
            throw new MagicException("JobLost", "following job " + jobId + " failed: " + e.getCause(), List.of());
        }
        context.output().display(StatusLine.done(outcome, cluster.name()), statusId, true);
        if (listener.hiddenBytes() > 0) {
            context.output().stream("stderr", "[" + listener.hiddenBytes() + " more bytes of output not shown (cap "
                    + cluster.profile().monitoring().outputCap() + " bytes per cell); %hpc logs " + jobId + " shows everything]\n");
        }
        if (listener.error() != null) {
            com.google.gson.JsonObject e = listener.error();
            List<String> traceback = new ArrayList<>();
            e.getAsJsonArray("traceback").forEach(t -> traceback.add(t.getAsString()));
            traceback.add("(in job " + jobId + " on " + cluster.name() + ")");
            throw new MagicException(e.get("ename").getAsString(), e.get("evalue").getAsString(), traceback);
        }
        if (!outcome.succeeded()) throw failure(outcome, cluster.name(), tracked.cancelRequested());
        return listener.result();
    }

    private static MagicException failure(JobOutcome o, String cluster, boolean interrupted) {
        StringBuilder m = new StringBuilder("job ").append(o.jobId()).append(" on ").append(cluster).append(" ended ").append(o.state());
        if (o.exitCode() != null) m.append(" with exit code ").append(o.exitCode());
        if (o.reason() != null) m.append(" (").append(o.reason()).append(')');
        List<Integer> failedTasks = o.taskExitCodes().entrySet().stream().filter(e -> e.getKey() >= 0 && e.getValue() != 0)
                .map(Map.Entry::getKey).toList();
        if (!failedTasks.isEmpty()) m.append("; failed array tasks: ").append(failedTasks);
        if (interrupted) m.append("; it was cancelled because the cell was interrupted");
        String ename = interrupted ? "JobCancelled" : "Job" + camel(o.state());
        return new MagicException(ename, m.toString(), List.of(ename + ": " + m));
    }

    private static String camel(JobState s) {
        StringBuilder b = new StringBuilder();
        for (String w : s.name().split("_")) b.append(w.charAt(0)).append(w.substring(1).toLowerCase());
        return b.toString();
    }

    private static void validateArray(String spec) throws MagicException {
        try {
            ArraySpec.indices(spec);
        } catch (IllegalArgumentException e) {
            throw MagicException.usage("--array " + spec + ": " + e.getMessage());
        }
    }

    private static String summary(String body) {
        String first = body.strip().lines().findFirst().orElse("");
        return first.length() > 60 ? first.substring(0, 57) + "..." : first;
    }

    /** Same cell, same cluster, same options → same hash (used to re-attach instead of resubmitting). */
    static String contentHash(String cluster, List<String> args, String body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(cluster.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            for (String a : args) {
                if (a.equals("--resubmit") || a.equals("--detach")) continue;
                d.update(a.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            d.update(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
