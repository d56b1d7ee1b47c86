package org.hpckernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.ExitMarker;
import org.hpckernel.hpc.HpcException;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.TrackedJob;
import org.hpckernel.hpc.environment.EnvironmentRecord;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.runner.JobLayout;

/** {@code %hpc SUBCOMMAND}: jobs (this kernel's and earlier ones', from the ledger) and clusters. */
final class HpcLineMagic implements LineMagic {
    static final List<String> SUBCOMMANDS =
            List.of("help", "jobs", "status", "attach", "logs", "cancel", "forget", "clean", "clusters", "use", "check", "export");
    private static final Duration RECENT = Duration.ofDays(1);

    private final HpcSession session;
    private final NotebookExporter exporter;

    HpcLineMagic(HpcSession session, NotebookExporter exporter) {
        this.session = session;
        this.exporter = exporter;
    }

    @Override
    public String name() {
        return "hpc";
    }

    @Override
    public String summary() {
        return "jobs and clusters: %hpc help | jobs | status ID | attach ID | logs ID | cancel ID | forget ID | clean | clusters | use NAME | export DIR";
    }

    @Override
    public List<String> complete(List<String> wordsBefore, String prefix) {
        if (!wordsBefore.isEmpty()) return List.of();
        return SUBCOMMANDS.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) throws Exception {
        session.enterCell(context.output());
        try {
            return runInCell(args, context);
        } catch (HpcException e) {
            throw HpcErrors.toMagic(e);
        } finally {
            session.leaveCell();
        }
    }

    private MimeBundle runInCell(List<String> args, MagicContext context) throws Exception {
        String sub = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        return switch (sub) {
            case "help" -> HpcHelp.bundle();
            case "jobs" -> jobs(rest);
            case "status" -> status(rest);
            case "attach" -> attach(rest.isEmpty() ? newest(context) : job(rest, "attach"), context);
            case "logs" -> logs(job(rest, "logs"), context);
            case "cancel" -> cancel(job(rest, "cancel"));
            case "forget" -> forget(rest);
            case "clean" -> clean(rest, context);
            case "clusters" -> ClusterTableView.render(session.describeClusters());
            case "check" -> check(rest);
            case "export" -> exporter.export(rest, context);
            case "use" -> {
                if (rest.size() != 1) throw MagicException.usage("%hpc use NAME: name one cluster (%hpc clusters lists them)");
                session.use(rest.get(0));
                yield MimeBundle.text("%%hpc cells now go to " + rest.get(0) + " unless they say --cluster");
            }
            default -> throw MagicException.usage("%hpc has no subcommand \"" + sub + "\"; known: " + String.join(", ", SUBCOMMANDS));
        };
    }

    private LedgerEntry job(List<String> rest, String sub) throws MagicException, HpcException {
        if (rest.size() != 1) throw MagicException.usage("%hpc " + sub + " ID: give one job id (%hpc jobs lists them)");
        return session.jobs().find(rest.get(0)).orElseThrow(() -> MagicException.usage(
                "no job " + rest.get(0) + " in the job ledger (%hpc jobs --all lists every recorded job)"));
    }

    /** {@code %hpc attach} alone: the newest job of this notebook (of any notebook when the frontend does not say). */
    private LedgerEntry newest(MagicContext context) throws MagicException, HpcException {
        String notebook = context.origin().get("notebook");
        List<LedgerEntry> all = session.jobs().all();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (notebook == null || notebook.equals(all.get(i).notebook())) return all.get(i);
        }
        throw MagicException.usage("no job recorded yet" + (notebook == null ? "" : " for " + notebook) + "; %hpc attach ID attaches to a given job");
    }

    private MimeBundle jobs(List<String> rest) throws MagicException, HpcException {
        boolean all = false;
        String notebook = null;
        for (int i = 0; i < rest.size(); i++) {
            switch (rest.get(i)) {
                case "--all" -> all = true;
                case "--notebook" -> {
                    if (i + 1 >= rest.size()) throw MagicException.usage("%hpc jobs --notebook PATH: give the notebook's path");
                    notebook = rest.get(++i);
                }
                default -> throw MagicException.usage("%hpc jobs [--all] [--notebook PATH]: unexpected \"" + rest.get(i) + "\"");
            }
        }
        Instant recent = Instant.now().minus(RECENT);
        List<LedgerEntry> shown = new ArrayList<>();
        for (LedgerEntry e : session.jobs().all()) {
            if (notebook != null && !notebook.equals(e.notebook())) continue;
            if (!all && !e.isLive() && Instant.parse(e.submitted()).isBefore(recent)) continue;
            shown.add(e);
        }
        if (shown.isEmpty()) return MimeBundle.text(all ? "no jobs recorded" : "no live or recent jobs (%hpc jobs --all shows older ones)");
        Map<LedgerEntry, String> states = states(shown);
        String header = String.format("%-10s %-10s %-24s %-20s %s", "JOB", "CLUSTER", "STATE", "SUBMITTED", "CELL");
        StringBuilder text = new StringBuilder(header).append('\n');
        StringBuilder html = new StringBuilder("<table><tr><th>job</th><th>cluster</th><th>state</th><th>submitted</th><th>cell</th></tr>");
        for (LedgerEntry e : shown) {
            String submitted = e.submitted().length() >= 19 ? e.submitted().substring(0, 19).replace('T', ' ') : e.submitted();
            text.append(String.format("%-10s %-10s %-24s %-20s %s%n", shownId(e), e.cluster(), states.get(e), submitted, cell(e)));
            html.append("<tr><td>").append(esc(shownId(e))).append("</td><td>").append(esc(e.cluster())).append("</td><td>")
                    .append(esc(states.get(e))).append("</td><td>").append(esc(submitted)).append("</td><td><code>")
                    .append(esc(cell(e))).append("</code></td></tr>");
        }
        html.append("</table>");
        return new MimeBundle(Map.of("text/plain", text.toString().stripTrailing(), "text/html", html.toString()), Map.of());
    }

    /** The cell's first line, after the user's own job name when it gave one. */
    private static String cell(LedgerEntry e) {
        return e.shownName() == null ? e.summary() : e.shownName() + ": " + e.summary();
    }

    /** The scheduler's id; the job key while the submission has none (SUBMITTING). */
    private static String shownId(LedgerEntry e) {
        return e.jobId() != null ? e.jobId() : e.key();
    }

    /** The clusters the current profile defines: jobs of other clusters are listed, marked unreachable. */
    private java.util.Set<String> configured() throws MagicException, HpcException {
        return new java.util.HashSet<>(session.config().names());
    }

    /**
     * Current states: the ledger for ended jobs, this kernel's monitor for followed ones, exit
     * markers next, and for the rest one scheduler call per cluster.
     */
    private Map<LedgerEntry, String> states(List<LedgerEntry> entries) throws MagicException, HpcException {
        Map<LedgerEntry, String> states = new LinkedHashMap<>();
        Map<String, List<LedgerEntry>> ask = new HashMap<>();
        java.util.Set<String> configured = configured();
        for (LedgerEntry e : entries) {
            if (!e.isLive()) {
                states.put(e, e.state() + (e.exitCode() != null ? " (exit " + e.exitCode() + ")" : ""));
                continue;
            }
            if (!configured.contains(e.cluster())) {
                states.put(e, "unreachable (cluster " + e.cluster() + " is not configured)");
                continue;
            }
            if (e.isSubmitting()) {
                states.put(e, "SUBMITTING (outcome unknown: looked up when the cell runs again, or by a kernel that connects to the cluster later)");
                continue;
            }
            Optional<TrackedJob> followed = session.jobs().followed(e.cluster(), e.jobId());
            if (followed.isPresent()) {
                states.put(e, followed.get().status().state().name());
                continue;
            }
            Optional<Integer> exit = exitCode(e);
            if (exit.isPresent()) {
                states.put(e, (exit.get() == 0 ? "COMPLETED" : "FAILED") + " (exit " + exit.get() + ")");
                continue;
            }
            ask.computeIfAbsent(e.cluster(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<LedgerEntry>> group : ask.entrySet()) {
            List<String> ids = group.getValue().stream().map(LedgerEntry::jobId).toList();
            Map<String, JobStatus> answer = Map.of();
            String problem = null;
            try {
                ClusterSession c = session.cluster(group.getKey());
                answer = c.status(ids);
            } catch (SchedulerException | IOException | HpcException e) {
                problem = "unknown (" + e.getMessage() + ")";
            }
            for (LedgerEntry e : group.getValue()) {
                JobStatus s = answer.get(e.jobId());
                states.put(e, problem != null ? problem : s == null ? "gone (no exit marker)" : describe(e, s));
            }
        }
        Map<LedgerEntry, String> ordered = new LinkedHashMap<>();
        for (LedgerEntry e : entries) ordered.put(e, states.get(e));
        return ordered;
    }

    private String describe(LedgerEntry e, JobStatus s) {
        String state = s.state().name();
        if (s.state().name().equals("RUNNING") && !started(e)) state = "PENDING";
        return state + (s.reason() != null && !s.reason().equals("None") ? " (" + s.reason() + ")" : "");
    }

    private boolean started(LedgerEntry e) {
        try {
            ClusterSession c = session.cluster(e.cluster());
            for (Integer t : tasks(e)) {
                if (c.transport().size(e.jobDir() + "/" + JobLayout.started(t)) >= 0) return true;
            }
        } catch (IOException | HpcException ex) {
            return false;
        }
        return false;
    }

    /** The exit code once every task has written its exit marker (the worst one for arrays). */
    private Optional<Integer> exitCode(LedgerEntry e) throws MagicException, HpcException {
        ClusterSession c = session.cluster(e.cluster());
        Integer worst = 0;
        for (Integer t : tasks(e)) {
            Optional<byte[]> marker;
            try {
                marker = c.transport().readFile(e.jobDir() + "/" + JobLayout.exit(t));
            } catch (IOException ex) {
                return Optional.empty();
            }
            if (marker.isEmpty()) return Optional.empty();
            Integer code = ExitMarker.parse(marker.get()).code();
            if (code == null) {
                worst = 255;
            } else if (worst == 0) {
                worst = code;
            }
        }
        return Optional.of(worst);
    }

    private static List<Integer> tasks(LedgerEntry e) {
        return e.array() && e.tasks() != null ? e.tasks() : Collections.singletonList(null);
    }

    /**
     * {@code %hpc status ID}: the state, then the environment the job recorded on its node.
     * {@code %hpc status ID OTHER}: both, then the fields of their environments that differ.
     */
    private MimeBundle status(List<String> rest) throws MagicException, HpcException {
        if (rest.isEmpty() || rest.size() > 2) {
            throw MagicException.usage("%hpc status ID [OTHER_ID]: give one job id, or two to compare their environments (%hpc jobs lists them)");
        }
        List<String> text = new ArrayList<>();
        List<Optional<EnvironmentRecord>> records = new ArrayList<>();
        for (String id : rest) {
            LedgerEntry e = job(List.of(id), "status");
            if (!text.isEmpty()) text.add("");
            text.add("job " + e.jobId() + " on " + e.cluster() + ": " + states(List.of(e)).get(e));
            Optional<EnvironmentRecord> record = environment(e);
            records.add(record);
            if (record.isPresent()) text.addAll(record.get().describe());
            else text.add("no environment recorded (yet): the node writes " + JobLayout.environment(null) + " before the payload starts");
        }
        if (records.size() == 2) {
            text.add("");
            if (records.get(0).isEmpty() || records.get(1).isEmpty()) {
                text.add("environments not compared: one of the jobs has no record");
            } else {
                List<String> diffs = records.get(0).get().differences(records.get(1).get(), false);
                text.add(diffs.isEmpty() ? "same environment (host, time and run aside)" : "environment differences (" + rest.get(0)
                        + " | " + rest.get(1) + "):");
                for (String d : diffs) text.add("  " + d);
            }
        }
        return MimeBundle.text(String.join("\n", text));
    }

    /** The job's environment.json (its first task's, for an array); empty when there is none yet. */
    private Optional<EnvironmentRecord> environment(LedgerEntry e) {
        try {
            ClusterSession c = session.cluster(e.cluster());
            Integer task = tasks(e).get(0);
            Optional<byte[]> bytes = c.transport().readFile(e.jobDir() + "/" + JobLayout.environment(task));
            return bytes.flatMap(b -> EnvironmentRecord.parse(new String(b, StandardCharsets.UTF_8)));
        } catch (IOException | HpcException ex) {
            return Optional.empty();
        }
    }

    /**
     * Shows the job's output from its first byte and follows it to its end, as if the kernel had
     * never gone; its --out values are bound as the cell would have bound them (from its manifest).
     */
    private MimeBundle attach(LedgerEntry e, MagicContext context) throws MagicException, HpcException, InterruptedException {
        ClusterSession cluster = session.cluster(e.cluster());
        if (session.jobs().followed(e.cluster(), e.jobId()).isPresent()) {
            throw MagicException.usage("job " + e.jobId() + " is already followed by a running cell of this kernel");
        }
        if (e.isSubmitting()) throw notSubmittedYet(e);
        LedgerEntry live = e.isLive() ? e : e.reopened();
        return JobInCell.follow(session, context, cluster, live, new StatusDisplay(context.output()), null);
    }

    private static MagicException notSubmittedYet(LedgerEntry e) {
        return MagicException.usage("submission " + e.key() + " has no job id yet (a kernel stopped during its submit): run its"
                + " cell again to look the job up, or %hpc forget " + e.key() + " to drop the record");
    }

    private MimeBundle cancel(LedgerEntry e) throws MagicException, HpcException, IOException {
        if (e.isSubmitting()) throw notSubmittedYet(e);
        ClusterSession cluster = session.cluster(e.cluster());
        Optional<TrackedJob> followed = session.jobs().followed(e.cluster(), e.jobId());
        CommandResult r = followed.isPresent() ? session.monitor().cancel(followed.get())
                : cluster.cancel(e.jobId());
        if (!r.ok()) throw new MagicException("CancelFailed", "cancelling job " + e.jobId() + " failed: " + r.output(), List.of());
        return MimeBundle.text("cancel requested for job " + e.jobId() + " on " + e.cluster());
    }

    /** Everything the job wrote so far, whatever the per-cell cap cut: streamed in chunks, never read whole. */
    private MimeBundle logs(LedgerEntry e, MagicContext context) throws MagicException, HpcException, IOException {
        if (e.isSubmitting()) throw notSubmittedYet(e);
        ClusterSession cluster = session.cluster(e.cluster());
        new org.hpckernel.hpc.JobLogs(cluster.transport(), (stream, text) -> context.output().stream(stream, text)).send(e);
        return null;
    }

    /**
     * {@code %hpc forget ID|KEY}: drops one record (the job itself, if any, is left alone);
     * {@code %hpc forget --unconfigured}: drops every record of a cluster the profile does not define.
     */
    private MimeBundle forget(List<String> rest) throws MagicException, HpcException, IOException {
        if (rest.size() != 1) {
            throw MagicException.usage("%hpc forget ID (one job id or key, from %hpc jobs --all) or %hpc forget --unconfigured"
                    + " (every record of a cluster the current profile does not define)");
        }
        if (rest.get(0).equals("--unconfigured")) {
            java.util.Set<String> configured = configured();
            List<String> dropped = new ArrayList<>();
            for (LedgerEntry e : session.jobs().all()) {
                if (configured.contains(e.cluster())) continue;
                session.jobs().forget(e);
                dropped.add(shownId(e) + " (" + e.cluster() + ")");
            }
            return MimeBundle.text(dropped.isEmpty() ? "every recorded job belongs to a configured cluster: nothing forgotten"
                    : "forgot " + dropped.size() + " job record(s) of unconfigured clusters: " + String.join(", ", dropped));
        }
        LedgerEntry e = job(rest, "forget");
        if (session.jobs().followed(e.cluster(), e.jobId()).isPresent()) {
            throw MagicException.usage("job " + e.jobId() + " is followed by a running cell of this kernel; interrupt it first");
        }
        session.jobs().forget(e);
        return MimeBundle.text("forgot job " + shownId(e) + " on " + e.cluster() + (e.isLive() && !e.isSubmitting()
                ? " (it was not cancelled: %hpc cancel does that)" : ""));
    }

    /** Removes finished jobs' directories and ledger entries; never a job that has not ended. */
    private MimeBundle clean(List<String> rest, MagicContext context) throws MagicException, HpcException {
        Duration age = Duration.ofDays(7);
        if (!rest.isEmpty()) {
            if (rest.size() != 2 || !rest.get(0).equals("--older-than") || !rest.get(1).matches("\\d+[dhm]")) {
                throw MagicException.usage("%hpc clean [--older-than N{d|h|m}], e.g. --older-than 7d");
            }
            long n = Long.parseLong(rest.get(1).substring(0, rest.get(1).length() - 1));
            char unit = rest.get(1).charAt(rest.get(1).length() - 1);
            age = unit == 'd' ? Duration.ofDays(n) : unit == 'h' ? Duration.ofHours(n) : Duration.ofMinutes(n);
        }
        Instant cutoff = Instant.now().minus(age);
        int removed = 0;
        int kept = 0;
        java.util.Set<String> configured = configured();
        for (LedgerEntry e : session.jobs().all()) {
            if (Instant.parse(e.submitted()).isAfter(cutoff)) continue;
            if (!configured.contains(e.cluster()) || e.isSubmitting()) {
                kept++;
                continue;
            }
            boolean ended = !e.isLive() || exitCode(e).isPresent();
            if (!ended || session.jobs().followed(e.cluster(), e.jobId()).isPresent()) {
                kept++;
                continue;
            }
            try {
                session.cluster(e.cluster()).transport().delete(e.jobDir());
                session.jobs().forget(e);
                removed++;
            } catch (IOException | HpcException ex) {
                context.output().stream("stderr", "could not remove job " + e.jobId() + ": " + ex.getMessage() + "\n");
            }
        }
        return MimeBundle.text("removed " + removed + " finished job(s) older than " + rest.stream().reduce((a, b) -> b).orElse("7d")
                + (kept > 0 ? "; kept " + kept + " that have not ended" : ""));
    }

    private MimeBundle check(List<String> rest) throws MagicException, HpcException {
        if (rest.size() > 1) throw MagicException.usage("%hpc check [NAME]: at most one cluster name");
        ClusterSession cluster = session.cluster(rest.isEmpty() ? null : rest.get(0));
        List<org.hpckernel.hpc.ClusterCheck.Step> steps = org.hpckernel.hpc.ClusterCheck.run(cluster);
        String report = org.hpckernel.hpc.ClusterCheck.format(cluster.name(), steps);
        if (steps.stream().anyMatch(s -> !s.ok())) throw new MagicException("ClusterCheckFailed", report, List.of(report));
        return MimeBundle.text(report);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
