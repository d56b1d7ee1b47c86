package org.hpckernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.HpcException;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.JobPackage;
import org.hpckernel.hpc.JobPackager;
import org.hpckernel.hpc.CellValues;
import org.hpckernel.hpc.EncodedValue;
import org.hpckernel.hpc.InputValues;
import org.hpckernel.hpc.ReturnPlan;
import org.hpckernel.hpc.ValueOptions;
import org.hpckernel.hpc.ValueRefusal;
import org.hpckernel.translate.CellCompileException;
import org.hpckernel.translate.CellCompiler;
import org.hpckernel.translate.CompiledCell;
import org.hpckernel.translate.NotebookSnapshot;
import org.hpckernel.values.ValueCodec;
import org.hpckernel.hpc.StatusLine;
import org.hpckernel.hpc.Submitter;
import org.hpckernel.hpc.ledger.JobLedger;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.ledger.SubmitClaim;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.JobSpecs;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
import org.hpckernel.runner.JobLayout;

/**
 * {@code %%hpc [options]}: the cell becomes a batch job; its output, displays and result come
 * back into the cell while it runs, and the cell fails unless the job completed with exit code 0.
 * Every check happens before anything is written or submitted.
 */
final class HpcCellMagic implements CellMagic {
    private final HpcSession session;
    private static final ValueCodec CODEC = ValueCodec.standard();
    private final Submitter submitter = Submitter.standard();

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
        session.enterCell(context.output());
        try {
            return runInCell(args, body, context);
        } catch (HpcException e) {
            throw HpcErrors.toMagic(e);
        } catch (OptionException e) {
            throw HpcErrors.toMagic(e);
        } finally {
            session.leaveCell();
        }
    }

    private MimeBundle runInCell(List<String> args, String body, MagicContext context) throws Exception {
        HpcArguments options = HpcArguments.parse(args);
        if (body.isBlank()) throw MagicException.usage("%%hpc needs a cell body: Java code, or a script starting with #!");
        CellPayload payload = CellPayload.of(body);
        // The status line comes at once: packaging a Java cell, connecting and submitting take a while.
        StatusDisplay status = new StatusDisplay(context.output());
        if (!options.has(HpcOption.DRY_RUN)) status.show(StatusLine.phase(payload.shebang() ? "submitting…" : "compiling…"));
        Submission submission = new Submission(status);
        try {
            return submit(options, args, body, payload, context, submission);
        } catch (Exception e) {
            if (status.shown() && !submission.jobKnown) {
                boolean unknown = e instanceof MagicException m && m.ename().equals("SubmissionUnresolved");
                status.show(StatusLine.stopped(unknown ? "submission not confirmed" : "nothing submitted"));
            }
            throw e;
        }
    }

    /** The cell's status line, and whether it shows a job yet (from then on the job's state is its to show). */
    private static final class Submission {
        final StatusDisplay status;
        boolean jobKnown;

        Submission(StatusDisplay status) {
            this.status = status;
        }

        MimeBundle follow(HpcSession session, MagicContext context, ClusterSession cluster, LedgerEntry entry, ReturnPlan plan)
                throws MagicException, HpcException, InterruptedException {
            jobKnown = true;
            return JobInCell.follow(session, context, cluster, entry, status, plan);
        }
    }

    private MimeBundle submit(HpcArguments options, List<String> args, String body, CellPayload payload, MagicContext context,
            Submission submission) throws Exception {
        ValueOptions values = ValueOptions.of(options, payload.shebang());
        EvaluatorValues notebook = new EvaluatorValues(context.evaluator());
        CompiledCell compiled = null;
        List<String> classpath = List.of();
        HpcArguments jobOptions = options;
        int elements = 0;
        if (!payload.shebang()) {
            classpath = notebook.classpath();
            elements = values.forEach() == null ? 0 : refusing(() -> InputValues.forEachSize(values.forEach(), notebook));
            try {
                compiled = new CellCompiler(classpath).compile(notebook.snapshot(), payload.body(), values.outNames(),
                        values.forEach() == null ? null : values.forEach().toString());
            } catch (CellCompileException e) {
                throw CompileErrors.of(e, body, payload.body());
            }
        }
        ClusterSession cluster = session.cluster(options.cluster().orElse(null));
        Scheduler scheduler = cluster.scheduler();
        if (elements > 0) jobOptions = options.with(HpcOption.ARRAY, ValueOptions.ForEach.array(scheduler, elements));
        String key = JobPackager.newKey();
        String jobDir = JobPackager.jobDir(cluster.profile().workdir(), key);
        JobSpec spec = JobSpecs.build(jobOptions, cluster.profile(), defaultJobName(key), jobDir);
        String givenName = spec.jobName().equals(defaultJobName(key)) ? null : spec.jobName();
        if (givenName != null) spec = spec.toBuilder().jobName(uniqueJobName(cluster, givenName, key)).build();
        if (elements > 0) spec = spec.toBuilder().env(ValueOptions.ForEach.env(scheduler, spec.env())).build();
        if (spec.isArray()) validateArray(spec.array());
        CellValues shipment = shipment(values, compiled, notebook, cluster, spec);
        JobPackager.Request request = new JobPackager.Request(cluster.profile(), cluster.scheduler(), payload,
                "%%hpc " + String.join(" ", args) + "\n" + body, args, classpath,
                contentHash(cluster.name(), args, body, shipment.inputs()), context.origin(), shipment);

        if (options.has(HpcOption.DRY_RUN)) {
            String script;
            try {
                script = JobPackager.script(request, spec, JobPackager.runnerJarPath(cluster.profile().workdir()));
            } catch (UnsupportedOptionException e) {
                throw MagicException.usage(e.getMessage());
            }
            context.output().stream("stdout", "# dry run: nothing submitted. " + cluster.scheduler().name()
                    + " would run this " + jobDir + "/job.sh:\n" + script + ShipmentText.describe(shipment));
            return null;
        }

        LedgerEntry entry;
        boolean ours;
        // Held from the search for an earlier submission until the job id is recorded: a second kernel
        // running this cell now waits, then follows this submission (--resubmit asks for a new job anyway).
        try (SubmitClaim claim = options.has(HpcOption.RESUBMIT) ? null : claim(cluster, request.contentHash(), key, submission)) {
            Optional<LedgerEntry> running = claim == null ? Optional.empty() : earlierRun(cluster, claim, request.contentHash(), context);
            ours = running.isEmpty();
            if (!ours) {
                entry = running.get();
            } else {
                entry = submitNew(cluster, key, jobDir, spec, givenName, request, args, body, context, submission);
            }
        }
        if (!ours) return submission.follow(session, context, cluster, entry, null);
        if (options.has(HpcOption.DETACH)) {
            submission.jobKnown = true;
            submission.status.show(StatusLine.phase("Submitted job " + entry.jobId() + " to " + cluster.name()
                    + " (detached: it keeps running)"));
            String jobId = entry.jobId();
            context.output().stream("stdout",
                    "%hpc status " + jobId + " | %hpc logs " + jobId + " | %hpc attach " + jobId + " | %hpc cancel " + jobId + "\n");
            return null;
        }
        return submission.follow(session, context, cluster, entry, shipment.returns());
    }

    /** The submit claim on this cell; a kernel that has to wait says so, and why. */
    private SubmitClaim claim(ClusterSession cluster, String contentHash, String key, Submission submission)
            throws MagicException, HpcException, InterruptedException {
        try {
            return session.jobs().claim(cluster.name(), contentHash, key, submitter.settings().longestSubmit().plus(CLAIM_MARGIN),
                    () -> submission.status.show(StatusLine.phase("another kernel is submitting this same cell to " + cluster.name()
                            + ": waiting for its job…")));
        } catch (SubmitClaim.Busy e) {
            throw new MagicException("SubmissionBusy", e.getMessage(), List.of());
        } catch (IOException e) {
            throw new MagicException("LedgerError", "nothing was submitted: the job ledger in " + JobLedger.defaultDir()
                    + " cannot hold this cell's submit claim (" + e.getMessage() + "). Free space there (or fix its"
                    + " permissions, or set XDG_DATA_HOME to a writable place) and run the cell again.", List.of());
        }
    }

    /** Packaging and the submit's own look-ups come on top of the longest submit the other kernel can be in. */
    private static final Duration CLAIM_MARGIN = Duration.ofMinutes(5);

    /**
     * A submission of this cell that is to be followed instead of submitting: the one another kernel
     * made while this one waited for the claim (even if its job has ended already), else a live one
     * from the ledger; a SUBMITTING one is looked up first.
     */
    private Optional<LedgerEntry> earlierRun(ClusterSession cluster, SubmitClaim claim, String contentHash, MagicContext context)
            throws MagicException, HpcException, InterruptedException {
        Optional<String> waitedFor = claim.waitedFor();
        Optional<LedgerEntry> raced = waitedFor.isEmpty() ? Optional.empty() : session.jobs().find(waitedFor.get())
                .filter(e -> e.cluster().equals(cluster.name()) && contentHash.equals(e.contentHash())
                        && (e.isLive() || !Instant.parse(e.ended()).isBefore(claim.waitStart())));
        if (raced.isPresent()) {
            context.output().stream("stdout", "Another kernel submitted this same cell to " + cluster.name()
                    + " at the same moment: following its submission instead of submitting again.\n");
            return raced.get().isSubmitting() ? resolveEarlier(cluster, raced.get(), context) : raced;
        }
        Optional<LedgerEntry> running = session.jobs().liveDuplicate(cluster, contentHash);
        if (running.isPresent() && running.get().isSubmitting()) {
            running = resolveEarlier(cluster, running.get(), context);
        }
        running.ifPresent(e -> context.output().stream("stdout", "This cell's job " + e.jobId() + " on " + cluster.name()
                + " has not ended: following it instead of submitting again (--resubmit forces a new job).\n"));
        return running;
    }

    /** Records the submission, writes the job, submits it and records its id: the new ledger entry. */
    private LedgerEntry submitNew(ClusterSession cluster, String key, String jobDir, JobSpec spec, String givenName,
            JobPackager.Request request, List<String> args, String body, MagicContext context, Submission submission)
            throws Exception {
        LedgerEntry submitting = new LedgerEntry(null, cluster.name(), key, jobDir, args, request.contentHash(),
                context.origin().get("notebook"), context.origin().get("cellId"), summary(body), spec.isArray(),
                spec.isArray() ? ArraySpec.indices(spec.array()) : null, LedgerEntry.SUBMITTING, null, Instant.now().toString(),
                null, spec.jobName(), jobDir + "/" + JobLayout.SCRIPT, givenName);
        try {
            session.jobs().submitting(submitting);
        } catch (IOException | RuntimeException e) {
            throw new MagicException("LedgerError", "nothing was submitted: the job ledger in " + JobLedger.defaultDir()
                    + " cannot record the submission (" + e.getMessage() + "). Free space there (or fix its permissions,"
                    + " or set XDG_DATA_HOME to a writable place) and run the cell again.", List.of());
        }
        JobPackage job;
        String jobId;
        try {
            job = JobPackager.write(cluster.transport(), request, spec, key);
        } catch (UnsupportedOptionException e) {
            forgetQuietly(submitting);
            throw MagicException.usage(e.getMessage());
        } catch (IOException e) {
            forgetQuietly(submitting);
            throw new MagicException("SubmissionFailed", "could not submit to " + cluster.name() + ": " + e.getMessage(), List.of());
        }
        submission.status.show(StatusLine.phase("submitting to " + cluster.name()
                + (givenName == null || givenName.equals(spec.jobName()) ? "" : " as " + givenName + " (" + spec.jobName() + ")")
                + "…"));
        try {
            jobId = submitter.submit(cluster, job, session.jobs().takenIds(cluster.name(), key));
        } catch (SchedulerException e) {
            forgetQuietly(submitting); // refused, or every attempt verified that no job was created
            throw new MagicException("SubmissionRefused", cluster.scheduler().name() + " refused the job: " + e.getMessage(),
                    List.of("SubmissionRefused: " + cluster.name() + " (" + cluster.scheduler().name() + ") said:", e.getMessage()));
        } catch (Submitter.Unresolved e) {
            throw new MagicException("SubmissionUnresolved", e.getMessage(), List.of());
        }

        return session.jobs().submitted(submitting, jobId);
    }

    /**
     * The values the job takes and returns, encoded now: a value that cannot travel, or inputs over
     * the cap, refuse the cell before anything is written.
     */
    private static CellValues shipment(ValueOptions values, CompiledCell compiled, EvaluatorValues notebook,
            ClusterSession cluster, JobSpec spec) throws MagicException {
        long cap = values.maxInputBytes(cluster.profile().caps());
        String workdir = cluster.profile().workdir();
        List<Integer> tasks = spec.isArray() ? ArraySpec.indices(spec.array()).stream().sorted().distinct().toList() : null;
        if (compiled != null) {
            List<EncodedValue> inputs = refusing(() -> InputValues.encode(compiled.inputs(), notebook, CODEC, cap, workdir, true));
            List<ReturnPlan.Output> outs = compiled.outputs().stream().map(v -> new ReturnPlan.Output(v.name(), v.type())).toList();
            return new CellValues(compiled, inputs, new ReturnPlan(false, outs, tasks), cap);
        }
        List<NotebookSnapshot.Variable> wanted = new ArrayList<>();
        for (String name : values.ins()) {
            if (!notebook.names().contains(name)) {
                throw MagicException.usage("--in " + name + ": the notebook has no variable " + name + "; nothing was submitted"
                        + " (declare it in a cell first, or leave --in " + name + " out)");
            }
            wanted.add(new NotebookSnapshot.Variable(name, notebook.typeOf(name).orElse("Object")));
        }
        List<EncodedValue> inputs = refusing(() -> InputValues.encode(wanted, notebook, CODEC, cap, workdir));
        List<ReturnPlan.Output> outs = values.outs().stream().map(o -> new ReturnPlan.Output(o.name(), o.type())).toList();
        return new CellValues(null, inputs, new ReturnPlan(true, outs, tasks));
    }

    private interface Refusable<T> {
        T get() throws ValueRefusal;
    }

    private static <T> T refusing(Refusable<T> step) throws MagicException {
        try {
            return step.get();
        } catch (ValueRefusal e) {
            throw ValueErrors.toMagic(e);
        }
    }

    /**
     * A submission of this cell whose outcome an earlier kernel never learnt (it stopped during the
     * submit): the job is looked up, as after an ambiguous submit. Found: the ledger gets its id and
     * the cell follows it. Not found over the whole window: the record goes and the cell submits.
     */
    private Optional<LedgerEntry> resolveEarlier(ClusterSession cluster, LedgerEntry earlier, MagicContext context)
            throws MagicException, HpcException, InterruptedException {
        context.output().stream("stdout", "An earlier submission of this cell to " + cluster.name() + " (" + earlier.key()
                + ") never learnt its job id: looking for that job before submitting anything (up to "
                + submitter.settings().settle().toSeconds() + " s).\n");
        String script = earlier.scriptPath() != null ? earlier.scriptPath() : earlier.jobDir() + "/" + JobLayout.SCRIPT;
        Optional<String> id;
        try {
            id = submitter.resolve(cluster, new Submitter.Target(earlier.jobName(), script),
                    session.jobs().takenIds(cluster.name(), earlier.key()));
        } catch (Submitter.Unresolved e) {
            throw new MagicException("SubmissionUnresolved", e.getMessage(), List.of());
        }
        if (id.isPresent()) return Optional.of(session.jobs().submitted(earlier, id.get()));
        forgetQuietly(earlier);
        context.output().stream("stdout", "No job was created by that submission: submitting the cell now.\n");
        return Optional.empty();
    }

    private void forgetQuietly(LedgerEntry entry) {
        try {
            session.jobs().forget(entry);
        } catch (IOException | HpcException e) {
            org.hpckernel.util.Log.warn("ledger record %s not removed: %s", entry.key(), e.getMessage());
        }
    }

    /**
     * The name a user's own job name is submitted under: with the key's random part folded in where
     * the scheduler is looked up by name, so that an ambiguous submit finds this job and no other
     * cell's of the same name.
     */
    static String uniqueJobName(ClusterSession cluster, String givenName, String key) {
        return cluster.scheduler().uniqueName(givenName, key.substring(key.lastIndexOf('-') + 1));
    }

    /** The default job name: short (Torque keeps 15 characters) and unique, from the key's random part. */
    static String defaultJobName(String key) {
        return "hpc-" + key.substring(key.lastIndexOf('-') + 1);
    }

    private static void validateArray(String spec) throws MagicException {
        try {
            ArraySpec.indices(spec);
        } catch (IllegalArgumentException e) {
            throw MagicException.usage("--array " + spec + ": " + e.getMessage());
        }
    }

    /** The first line that says what the cell does: not blank, not the #! line, not an import. */
    static String summary(String body) {
        String first = body.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#!") && !l.startsWith("import "))
                .findFirst().orElse(body.strip().lines().findFirst().orElse(""));
        return first.length() > 60 ? first.substring(0, 57) + "..." : first;
    }

    /**
     * Same cell, same cluster, same options, same notebook values → same hash (used to re-attach
     * instead of resubmitting): a cell run again on changed inputs is another computation.
     */
    static String contentHash(String cluster, List<String> args, String body, List<EncodedValue> inputs) {
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
            for (EncodedValue in : inputs) {
                d.update((byte) 0);
                d.update(in.name().getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(in.sha256().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
