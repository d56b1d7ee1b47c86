package org.hpckernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.ClusterProfile;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.SessionJob;
import org.hpckernel.hpc.StatusLine;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.runner.JobLayout;

/** {@code %hpc SUBCOMMAND}: the session's jobs and clusters. */
final class HpcLineMagic implements LineMagic {
    static final List<String> SUBCOMMANDS =
            List.of("help", "jobs", "status", "cancel", "logs", "clusters", "use");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final HpcSession session;

    HpcLineMagic(HpcSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "hpc";
    }

    @Override
    public String summary() {
        return "jobs and clusters: %hpc help | jobs | status ID | cancel ID | logs ID | clusters | use NAME";
    }

    @Override
    public List<String> complete(List<String> wordsBefore, String prefix) {
        if (!wordsBefore.isEmpty()) return List.of();
        return SUBCOMMANDS.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) throws Exception {
        String sub = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        return switch (sub) {
            case "help" -> MimeBundle.text(help());
            case "jobs" -> jobs();
            case "status" -> status(job(rest, "status"));
            case "cancel" -> cancel(job(rest, "cancel"));
            case "logs" -> logs(job(rest, "logs"), context);
            case "clusters" -> clusters();
            case "use" -> {
                if (rest.size() != 1) throw MagicException.usage("%hpc use NAME: name one cluster (%hpc clusters lists them)");
                session.use(rest.get(0));
                yield MimeBundle.text("%%hpc cells now go to " + rest.get(0) + " unless they say --cluster");
            }
            default -> throw MagicException.usage("%hpc has no subcommand \"" + sub + "\"; known: " + String.join(", ", SUBCOMMANDS));
        };
    }

    private SessionJob job(List<String> rest, String sub) throws MagicException {
        if (rest.size() != 1) throw MagicException.usage("%hpc " + sub + " ID: give one job id (%hpc jobs lists them)");
        return session.find(rest.get(0)).orElseThrow(() -> MagicException.usage(
                "no job " + rest.get(0) + " in this session (%hpc jobs lists them)"));
    }

    private MimeBundle jobs() throws MagicException {
        List<SessionJob> jobs = session.jobs();
        if (jobs.isEmpty()) return MimeBundle.text("no jobs submitted in this session");
        StringBuilder text = new StringBuilder(String.format("%-12s %-12s %-12s %-20s %s%n", "JOB", "CLUSTER", "STATE", "SUBMITTED", "CELL"));
        StringBuilder html = new StringBuilder("<table><tr><th>job</th><th>cluster</th><th>state</th><th>submitted</th><th>cell</th></tr>");
        for (SessionJob j : jobs) {
            String state = describeState(j);
            text.append(String.format("%-12s %-12s %-12s %-20s %s%n", j.id(), j.cluster(), state, j.submitted().toString().substring(0, 19), j.summary()));
            html.append("<tr><td>").append(esc(j.id())).append("</td><td>").append(esc(j.cluster())).append("</td><td>")
                    .append(esc(state)).append("</td><td>").append(esc(j.submitted().toString().substring(0, 19)))
                    .append("</td><td><code>").append(esc(j.summary())).append("</code></td></tr>");
        }
        html.append("</table>");
        return new MimeBundle(Map.of("text/plain", text.toString().stripTrailing(), "text/html", html.toString()), Map.of());
    }

    private String describeState(SessionJob j) {
        if (j.tracked() == null) return "detached";
        if (j.tracked().outcome().isDone()) return j.tracked().outcome().join().state().name();
        return j.tracked().status().state().name();
    }

    private MimeBundle status(SessionJob j) throws MagicException, IOException {
        ClusterSession cluster = session.cluster(j.cluster());
        if (j.tracked() != null && j.tracked().outcome().isDone()) {
            JobOutcome o = j.tracked().outcome().join();
            return StatusLine.done(o, j.cluster());
        }
        Optional<String> exit = cluster.transport().readFile(j.jobDir() + "/" + JobLayout.exit(null))
                .map(b -> new String(b, StandardCharsets.UTF_8).strip());
        if (exit.isPresent()) {
            String code = exit.get().split("\\s+")[0];
            return MimeBundle.text("job " + j.id() + " on " + j.cluster() + ": finished, exit code " + code);
        }
        CommandResult r = cluster.transport().run(cluster.scheduler().statusCommand(List.of(j.id())), COMMAND_TIMEOUT);
        try {
            JobStatus s = cluster.scheduler().parseStatus(r, List.of(j.id())).get(j.id());
            boolean started = cluster.transport().size(j.jobDir() + "/" + JobLayout.started(null)) >= 0;
            if (s == null) return MimeBundle.text("job " + j.id() + " on " + j.cluster() + ": no longer known to the scheduler");
            String state = !started && s.state().name().equals("RUNNING") ? "PENDING (starting)" : s.state().name();
            return MimeBundle.text("job " + j.id() + " on " + j.cluster() + ": " + state
                    + (s.reason() != null && !s.reason().equals("None") ? " (" + s.reason() + ")" : "")
                    + (s.node() != null ? " on " + s.node() : ""));
        } catch (SchedulerException e) {
            throw new MagicException("SchedulerError", "cannot get the status of job " + j.id() + ": " + e.getMessage(), List.of());
        }
    }

    private MimeBundle cancel(SessionJob j) throws MagicException, IOException {
        ClusterSession cluster = session.cluster(j.cluster());
        CommandResult r = j.tracked() != null ? session.monitor().cancel(j.tracked())
                : cluster.transport().run(cluster.scheduler().cancelCommand(j.id()), COMMAND_TIMEOUT);
        if (!r.ok()) {
            throw new MagicException("CancelFailed", "cancelling job " + j.id() + " failed: " + r.output(), List.of());
        }
        return MimeBundle.text("cancel requested for job " + j.id() + " on " + j.cluster());
    }

    /** Everything the job wrote so far, whatever the per-cell cap cut. */
    private MimeBundle logs(SessionJob j, MagicContext context) throws MagicException, IOException {
        ClusterSession cluster = session.cluster(j.cluster());
        for (String file : List.of(JobLayout.stdout(null), JobLayout.stderr(null))) {
            Optional<byte[]> data = cluster.transport().readFile(j.jobDir() + "/" + file);
            if (data.isPresent() && data.get().length > 0) {
                context.output().stream(file.startsWith("stdout") ? "stdout" : "stderr", new String(data.get(), StandardCharsets.UTF_8));
            }
        }
        Optional<byte[]> events = cluster.transport().readFile(j.jobDir() + "/" + JobLayout.events(null));
        if (events.isPresent()) {
            for (String line : new String(events.get(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                com.google.gson.JsonObject e = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
                if (e.has("t") && e.get("t").getAsString().equals("stream")) {
                    context.output().stream(e.get("name").getAsString(), e.get("text").getAsString());
                }
            }
        }
        return null;
    }

    private MimeBundle clusters() throws MagicException {
        String current = session.currentCluster();
        StringBuilder text = new StringBuilder(String.format("  %-14s %-10s %-28s %s%n", "NAME", "SCHEDULER", "WHERE", "WORKDIR"));
        for (ClusterProfile p : session.config().clusters()) {
            String where = p.isRemote() ? "ssh " + p.ssh().host() : "this machine";
            text.append(String.format("%s %-14s %-10s %-28s %s%n", p.name().equals(current) ? "*" : " ", p.name(), p.scheduler(), where, p.workdir()));
        }
        String source = session.config().source() == null ? "no clusters.json: the built-in local backend" : "from " + session.config().source();
        text.append("(* = default for %%hpc; ").append(source).append(")");
        return MimeBundle.text(text.toString());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String help() {
        StringBuilder s = new StringBuilder("%%hpc [options] — run the cell as a batch job; Java, or a script starting with #!\n\nOptions:\n");
        for (HpcOption o : HpcOption.values()) {
            String names = o.longName() + o.shortName().map(x -> ", " + x).orElse("")
                    + (o.takesValue() ? " " + o.valueName() : "");
            s.append(String.format("  %-28s %s%n", names, o.help()));
        }
        s.append("""

                %hpc jobs            this session's jobs
                %hpc status ID       a job's state
                %hpc logs ID         all the output a job wrote so far
                %hpc cancel ID       cancel a job
                %hpc clusters        the configured clusters
                %hpc use NAME        send %%hpc cells to another cluster by default
                Every job sees HPC_JOB_ID, HPC_CLUSTER and, in arrays, HPC_ARRAY_INDEX.""");
        return s.toString();
    }
}
