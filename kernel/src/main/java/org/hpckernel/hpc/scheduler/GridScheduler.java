package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * A batch scheduler spoken through a {@link Dialect}: everything that is the same for every
 * scheduler lives here once (checking ids, reading the submit answer, naming the option a refusal
 * is about, grouping array tasks and ranking their states by {@link JobState#ofArray}, finding a
 * job by name, telling transient failures), so a dialect only says what its commands look like.
 */
public class GridScheduler implements Scheduler {
    private final Dialect dialect;
    private final List<String> extraDirectives;

    GridScheduler(Dialect dialect) {
        this(dialect, List.of());
    }

    /**
     * @param extraDirectives raw directive lines from the profile, for what the job spec cannot
     *     say (a site's licence or constraint flags); each must be one line that starts with the
     *     dialect's directive prefix
     * @throws IllegalArgumentException for a line that is not a directive line of this scheduler
     */
    GridScheduler(Dialect dialect, List<String> extraDirectives) {
        this.dialect = dialect;
        this.extraDirectives = ExtraDirectives.check(dialect.label(), dialect.directivePrefix(), extraDirectives);
    }

    @Override
    public final String name() {
        return dialect.name();
    }

    @Override
    public final int firstArrayIndex() {
        return dialect.firstArrayIndex();
    }

    @Override
    public final Optional<ChainedSubmit> chainedSubmit() {
        return Optional.of(dialect.chainedSubmit());
    }

    // ------------------------------------------------------------------ directives

    @Override
    public final List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        for (Dialect.Cannot c : dialect.cannotExpress()) {
            Object value = c.value().apply(spec);
            if (value != null) {
                throw new UnsupportedOptionException(dialect.name(), c.option() + " " + value, c.why());
            }
        }
        List<String> out = new ArrayList<>(dialect.directives(spec));
        out.addAll(extraDirectives);
        return out;
    }

    @Override
    public final String jobIdVariable() {
        return dialect.jobIdVariable();
    }

    @Override
    public final String arrayIndexVariable() {
        return dialect.arrayIndexVariable();
    }

    @Override
    public final List<String> prologue(String workdir) {
        return dialect.prologue(workdir);
    }

    // ------------------------------------------------------------------ submit

    @Override
    public final List<String> submitCommand(JobSpec spec, String scriptPath) {
        return dialect.submitCommand(spec, scriptPath);
    }

    @Override
    public final String parseJobId(CommandResult result, JobSpec spec) throws SchedulerException {
        String program = result.argv().isEmpty() ? "the submit command" : result.argv().get(0);
        if (result.timedOut()) {
            throw new SchedulerException(program + " did not answer in time (the job may have been submitted anyway)"
                    + SchedulerText.tail(result), true);
        }
        String id = idOn(lastLine(result.stdout()));
        if (id != null && dialect.submittedExitCodes().contains(result.exitCode())) {
            dialect.submitted(id, spec);
            return id;
        }
        if (result.exitCode() == 0) {
            throw new SchedulerException(program + " printed no job id: " + result.output(), false);
        }
        String text = dialect.refusalText(result);
        String hint = refusalHint(text, spec);
        throw new SchedulerException(hint == null ? text : text + " (from " + hint + ")", isTransient(result));
    }

    private String idOn(String line) {
        if (line == null) {
            return null;
        }
        for (Pattern p : dialect.submittedId()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String lastLine(String text) {
        String last = null;
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                last = line.strip();
            }
        }
        return last;
    }

    /** The %%hpc option a refusal is about ("--partition debugx"), or null when its words do not tell. */
    private String refusalHint(String text, JobSpec spec) {
        return Refusal.hint(dialect.refusals(), text, spec);
    }

    // ------------------------------------------------------------------ status

    final String requireJobId(String id) {
        return SchedulerText.requireJobId(id, dialect.jobId(), "a " + dialect.label());
    }

    @Override
    public final List<String> statusCommand(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("no job ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : jobIds) {
            ids.add(requireJobId(id));
        }
        return dialect.statusCommand(List.copyOf(ids));
    }

    private List<Dialect.Task> tasks(CommandResult result) throws SchedulerException {
        if (result.timedOut()) {
            String program = result.argv().isEmpty() ? "the status command" : result.argv().get(0);
            throw new SchedulerException(program + " did not answer in time" + SchedulerText.tail(result), true);
        }
        if (!dialect.statusAnswered(result)) {
            if (SchedulerText.mentionsAny(result.output(), dialect.unknownJobPhrases())) {
                return List.of(); // the ids asked for are not known (any more)
            }
            throw new SchedulerException(result.output(), SchedulerText.mentionsAny(result.output(),
                    dialect.transientPhrases()));
        }
        return dialect.tasks(result.stdout());
    }

    /**
     * Status of each requested job the output shows (every job when {@code jobIds} is null), in the
     * order asked: an array (or job made of components) with the state of the whole
     * ({@link JobState#ofArray}); a requested id that names one task (as printed, or the task's own
     * id) as that task, and its whole job under the job's id.
     */
    @Override
    public final Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds)
            throws SchedulerException {
        List<Dialect.Task> tasks = tasks(result);
        Map<String, List<Dialect.Task>> byJob = new LinkedHashMap<>();
        for (Dialect.Task t : tasks) {
            byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t);
        }
        byJob.replaceAll((job, group) -> group.stream().allMatch(Dialect.Task::summary) ? group
                : group.stream().filter(t -> !t.summary()).toList());
        Map<String, JobStatus> out = new LinkedHashMap<>();
        if (jobIds == null) {
            for (String job : byJob.keySet()) {
                statusOf(job, byJob, tasks).ifPresent(s -> out.put(job, s));
            }
        } else {
            for (String id : jobIds) {
                statusOf(id, byJob, tasks).ifPresent(s -> out.put(id, s));
                for (Dialect.Task t : tasks) {
                    if (id.equals(t.alias()) || id.equals(t.id())) {
                        // a task asked for by its own id: its whole job is news too
                        statusOf(t.job(), byJob, tasks).ifPresent(s -> out.putIfAbsent(t.job(), s));
                    }
                }
            }
        }
        return out;
    }

    /** The job with that id (as a whole), else the one task printed with or known by that id. */
    private Optional<JobStatus> statusOf(String id, Map<String, List<Dialect.Task>> byJob, List<Dialect.Task> tasks) {
        List<Dialect.Task> group = byJob.get(id);
        if (group == null) {
            for (Map.Entry<String, List<Dialect.Task>> e : byJob.entrySet()) {
                if (dialect.sameJob(id, e.getKey())) {
                    group = e.getValue();
                    break;
                }
            }
        }
        if (group != null) {
            return Optional.of(group.size() == 1 && !group.get(0).part() ? group.get(0).status() : whole(group));
        }
        for (Dialect.Task t : tasks) {
            if (t.id().equals(id) || id.equals(t.alias())) {
                return Optional.of(t.status());
            }
        }
        return Optional.empty();
    }

    /**
     * The status of a job from its tasks': the state of the whole; the reason and exit code of a
     * task in that state (one that exited non-zero first: it says why); every node.
     */
    private static JobStatus whole(List<Dialect.Task> group) {
        List<JobState> states = new ArrayList<>();
        Set<String> nodes = new LinkedHashSet<>();
        for (Dialect.Task t : group) {
            states.add(t.status().state());
            if (t.status().node() != null) {
                nodes.add(t.status().node());
            }
        }
        JobState state = JobState.ofArray(states);
        JobStatus representative = null;
        for (Dialect.Task t : group) {
            JobStatus s = t.status();
            if (s.state() == state && (representative == null
                    || (representative.exitCode() == null || representative.exitCode() == 0)
                            && s.exitCode() != null && s.exitCode() != 0)) {
                representative = s;
            }
        }
        return new JobStatus(state, representative == null ? null : representative.reason(),
                nodes.isEmpty() ? null : String.join(",", nodes),
                state.isFinal() && representative != null ? representative.exitCode() : null);
    }

    /** The state of each array task (and plain job) the status output shows, keyed as printed. */
    public final Map<String, JobState> taskStates(CommandResult result) throws SchedulerException {
        Map<String, JobState> out = new LinkedHashMap<>();
        for (Dialect.Task t : tasks(result)) {
            out.put(t.id(), t.status().state());
        }
        return out;
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    public final List<String> cancelCommand(String jobId) {
        return dialect.cancelCommand(requireJobId(jobId));
    }

    @Override
    public final Optional<List<String>> accountingCommand(String jobId) {
        return dialect.accountingCommand(requireJobId(jobId));
    }

    @Override
    public final Optional<JobAccounting> parseAccounting(CommandResult result, String jobId) {
        if (result.timedOut() || !dialect.statusAnswered(result)) {
            return Optional.empty();
        }
        try {
            return dialect.accounting(result, jobId);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ find by name

    @Override
    public final List<String> findByNameCommand(String jobName) {
        return dialect.findByNameCommand(jobName);
    }

    /** The newest (highest) id among this user's jobs with that name; empty when none or on failure. */
    @Override
    public final Optional<String> parseFindByName(CommandResult result, String jobName) {
        if (!result.ok() || result.stdout().isBlank()) {
            return Optional.empty();
        }
        try {
            return newest(dialect.idsNamed(result.stdout(), jobName));
        } catch (SchedulerException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The user's own name with the submission's unique tag folded in ({@code name-tag}), the user's
     * part shortened until the dialect's spelling ({@link Dialect#submittedName}: Torque's leading
     * letter and 15-character cut) keeps the whole tag: the look-up after an ambiguous submit then
     * finds this submission and no other with the same user name. Unchanged where the look-up does
     * not go by name ({@link Dialect#nameLimit} 0).
     */
    @Override
    public final String uniqueName(String givenName, String tag) {
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a submission tag (lower-case hex): " + tag);
        }
        int limit = dialect.nameLimit();
        if (limit == 0) {
            return givenName;
        }
        String suffix = "-" + tag;
        if (suffix.length() >= limit) {
            throw new IllegalArgumentException(dialect.label() + " keeps " + limit + " characters of a name: too few for " + suffix);
        }
        for (int keep = Math.min(givenName.length(), limit - suffix.length()); keep > 0; keep--) {
            String name = givenName.substring(0, keep) + suffix;
            if (dialect.submittedName(name).endsWith(suffix)) {
                return name;
            }
        }
        return "hpc" + suffix;
    }

    private static final Pattern TAG = Pattern.compile("[0-9a-f]{1,16}");

    @Override
    public final List<String> findSubmittedCommand(String jobName, String scriptPath) {
        return dialect.findSubmittedCommand(jobName, scriptPath);
    }

    @Override
    public final Optional<String> parseFindSubmitted(CommandResult result, String jobName, String scriptPath) {
        if (!result.ok() || result.stdout().isBlank()) {
            return Optional.empty();
        }
        try {
            return newest(dialect.idsSubmitted(result.stdout(), jobName, scriptPath));
        } catch (SchedulerException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<String> newest(List<String> ids) {
        return SchedulerText.highestId(ids.stream().filter(id -> !id.isEmpty()), dialect.sequence());
    }

    // ------------------------------------------------------------------ misc

    @Override
    public final boolean isTransient(CommandResult result) {
        return SchedulerText.failedTransiently(result, dialect.transientPhrases());
    }

    @Override
    public final List<List<String>> versionCommands() {
        return dialect.versionCommands();
    }

    /** Lines of a command's output, stripped, blank ones left out. */
    static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
