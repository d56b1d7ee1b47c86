package org.hpckernel.hpc.scheduler;

import static org.hpckernel.hpc.scheduler.SchedulerText.positive;
import static org.hpckernel.hpc.scheduler.SchedulerText.printable;
import static org.hpckernel.hpc.scheduler.SchedulerText.tail;
import static org.hpckernel.hpc.scheduler.SchedulerText.withoutTrailingSlashes;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * OAR 2.5 (checked against the Debian 2.5.9 packages on PostgreSQL).
 *
 * <ul>
 *   <li>submit: {@code oarsub -S SCRIPT}: {@code -S} makes oarsub read the script's {@code #OAR}
 *       lines (the script must be executable and start with {@code #}). Prints
 *       {@code OAR_JOB_ID=12}; an array prints one such line per subjob, then
 *       {@code OAR_ARRAY_ID=12} (the first subjob's id), which is the id this class hands out.
 *   <li>status and accounting: {@code oarstat -f -J --sql "array_id IN (..) OR job_id IN (..)"}:
 *       JSON, every subjob of every array, finished jobs included (OAR keeps them in its database),
 *       with their exit status and events ({@code -f}).
 *   <li>cancel: {@code oardel --array ID}: the job, or every subjob of the array.
 * </ul>
 *
 * <p>Mapping of the %%hpc options: {@code --partition} is the queue ({@code -q});
 * {@code --account} the project ({@code --project}); {@code --time} the walltime;
 * {@code --nodes}/{@code --ntasks}/{@code --cpus-per-task} become {@code -l /nodes=N/core=C}
 * ({@link #resources}); {@code --array} becomes {@code --array N} (see {@link #directives}).
 * OAR has no standard resource for memory or GPUs and no QOS: those are refused.
 *
 * <p>Array subjobs are numbered 1..N by OAR ({@code OAR_ARRAY_INDEX}), and a plain job has
 * {@code OAR_ARRAY_INDEX=1} too. So that the job sees exactly the indices asked for (and a plain
 * job none), an array's script gets two arguments, the first index and the step
 * ({@code oarsub -S "job.sh 0 1"}), from which {@link #arrayIndexVariable} computes the index;
 * only ranges ({@code 0-15}, {@code 1-100:10}) can be expressed that way.
 */
public final class OarScheduler implements Scheduler {
    private static final String NAME = "oar";

    /** What goes into {@code #OAR} lines and OAR's own Perl/SQL strings: no quoting needed or possible. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.,+-]*");

    /**
     * Paths: oarsub allows {@code [a-zA-Z0-9_./\-%\\ ]} in -O/-E, scans the script through a shell
     * ({@code oardodo cat SCRIPT}) and pastes paths into Perl strings on the node; {@code %} would
     * be replaced ({@code %jobid%}). This is the safe subset.
     */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_./-]+");

    private static final Pattern JOB_ID_LINE = Pattern.compile("(?m)^OAR_JOB_ID=(-?[0-9]+)\\s*$");
    private static final Pattern ARRAY_ID_LINE = Pattern.compile("(?m)^OAR_ARRAY_ID=([0-9]+)\\s*$");
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern NO_QUEUE = Pattern.compile("The queue (\\S+) does not exist");
    private static final Pattern RANGE = Pattern.compile("([0-9]+)(?:-([0-9]+)(?::([0-9]+))?)?");

    private static final List<String> TRANSIENT = List.of(
            "cannot connect to database",
            "db connection error",
            "connection refused",
            "could not connect to server",
            "server closed the connection unexpectedly",
            "the database system is starting up",
            "temporarily unavailable");

    public OarScheduler() {}

    @Override
    public String name() {
        return NAME;
    }

    // ------------------------------------------------------------------ directives

    /**
     * {@code #OAR} lines, one option each; oarsub takes the rest of the line as the value, as is.
     * The job directory is also the launching directory ({@code -d}), so the job does not depend
     * on where oarsub ran. (OAR 2.5.9 then warns "Ignore script value for name parameter" on
     * stderr: a bug in its message, the directory is used.)
     */
    @Override
    public List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        refuseWhatOarCannotExpress(spec);
        List<String> out = new ArrayList<>();
        if (spec.jobName() != null) {
            out.add("#OAR -n " + word("job name", spec.jobName()));
        }
        if (spec.jobDir() != null) {
            String dir = withoutTrailingSlashes(path("job directory", spec.jobDir()));
            out.add("#OAR -d " + dir);
            out.add("#OAR -O " + dir + "/scheduler.out");
            out.add("#OAR -E " + dir + "/scheduler.out");
        }
        if (spec.partition() != null) {
            out.add("#OAR -q " + word("--partition", spec.partition()));
        }
        if (spec.account() != null) {
            out.add("#OAR --project " + word("--account", spec.account()));
        }
        String resources = resources(spec);
        String walltime = spec.time() == null ? null : "walltime=" + walltime(spec.time());
        if (resources != null || walltime != null) {
            out.add("#OAR -l " + (resources == null ? walltime
                    : walltime == null ? resources : resources + "," + walltime));
        }
        if (spec.isArray()) {
            long[] range = arrayRange(spec.array());
            out.add("#OAR --array " + range[2]);
            out.add("# OAR numbers array subjobs 1.." + range[2] + "; oarsub passes \"" + range[0] + " " + range[1]
                    + "\" (first index, step) as $1 $2, so HPC_ARRAY_INDEX is " + spec.array());
        }
        return out;
    }

    private static void refuseWhatOarCannotExpress(JobSpec spec) throws UnsupportedOptionException {
        if (spec.memMegabytes() != null) {
            throw new UnsupportedOptionException(NAME, "--mem " + spec.memMegabytes() + "M",
                    "OAR has no standard memory resource (a site may define its own resource property; "
                            + "ask your centre how to request memory there)");
        }
        if (spec.gpus() != null) {
            throw new UnsupportedOptionException(NAME, "--gpus " + spec.gpus(),
                    "OAR 2.5 has no standard GPU resource (sites define their own, e.g. a gpu property); "
                            + "ask your centre how to request GPUs there");
        }
        if (spec.qos() != null) {
            throw new UnsupportedOptionException(NAME, "--qos " + spec.qos(),
                    "OAR has no quality of service; use --partition to choose a queue");
        }
        if (spec.nodes() != null) {
            nodeCount(spec.nodes());
        }
        if (spec.isArray()) {
            arrayRange(spec.array());
        }
    }

    private static int nodeCount(String nodes) throws UnsupportedOptionException {
        String n = nodes.strip();
        int dash = n.indexOf('-');
        if (dash >= 0) {
            String lo = n.substring(0, dash);
            String hi = n.substring(dash + 1);
            if (!lo.equals(hi)) {
                throw new UnsupportedOptionException(NAME, "--nodes " + nodes,
                        "OAR takes a fixed number of nodes, not a range; give one number");
            }
            n = lo;
        }
        try {
            int count = Integer.parseInt(n);
            if (count < 1) {
                throw new IllegalArgumentException("--nodes must be positive: " + nodes);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--nodes is not a number: " + nodes, e);
        }
    }

    /**
     * The resource hierarchy of {@code -l}, or null for OAR's default (one core). OAR gives every
     * node of {@code /nodes=N/core=C} the same C cores, so:
     * <ul>
     *   <li>with --nodes N: tasks (default N, one per node, as Slurm does) × cpus-per-task cores
     *       in all, which must split evenly over the N nodes;
     *   <li>without --nodes: one task's cores must share a node: {@code /nodes=1/core=C}; several
     *       one-core tasks may be anywhere: {@code /core=T}; several multi-core tasks are put on
     *       one node, {@code /nodes=1/core=T×C} (OAR cannot group cores per task).
     * </ul>
     */
    static String resources(JobSpec spec) throws UnsupportedOptionException {
        if (spec.nodes() == null && spec.ntasks() == null && spec.cpusPerTask() == null) {
            return null;
        }
        long cpus = spec.cpusPerTask() == null ? 1 : positive("--cpus-per-task", spec.cpusPerTask());
        if (spec.nodes() != null) {
            int nodes = nodeCount(spec.nodes());
            long tasks = spec.ntasks() == null ? nodes : positive("--ntasks", spec.ntasks());
            long cores = tasks * cpus;
            if (cores % nodes != 0) {
                throw new UnsupportedOptionException(NAME, "--nodes " + spec.nodes() + " with " + tasks + " tasks × "
                        + cpus + " cpus", "OAR gives each node the same number of cores, and " + cores
                        + " cores do not split evenly over " + nodes + " nodes");
            }
            return "/nodes=" + nodes + "/core=" + (cores / nodes);
        }
        long tasks = spec.ntasks() == null ? 1 : positive("--ntasks", spec.ntasks());
        if (tasks == 1) {
            return "/nodes=1/core=" + cpus;
        }
        if (cpus == 1) {
            return "/core=" + tasks;
        }
        return "/nodes=1/core=" + (tasks * cpus);
    }


    /** OAR's walltime {@code H:MM:SS} (hours may exceed 24), rounded up to whole seconds. */
    static String walltime(Duration time) {
        long seconds = time.getSeconds() + (time.getNano() > 0 ? 1 : 0);
        if (seconds <= 0) {
            throw new IllegalArgumentException("--time must be positive: " + time);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /**
     * {first, step, count} of an array spec that OAR can run exactly: one range {@code A-B} or
     * {@code A-B:S}, or one index. Lists and throttles ({@code %N}) are refused.
     */
    static long[] arrayRange(String array) throws UnsupportedOptionException {
        String spec = array.strip();
        if (spec.contains("%")) {
            throw new UnsupportedOptionException(NAME, "--array " + array,
                    "OAR cannot limit how many subjobs run at once (%N); drop the %" + spec.substring(spec.indexOf('%') + 1));
        }
        if (spec.contains(",")) {
            throw new UnsupportedOptionException(NAME, "--array " + array,
                    "OAR numbers subjobs 1..N, so only one range (like 0-15 or 1-100:10) can be run with exactly "
                            + "these indices, not a list");
        }
        Matcher m = RANGE.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an array spec: " + array);
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
        long step = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
        if (last < first || step < 1) {
            throw new IllegalArgumentException("--array " + array + ": empty range");
        }
        return new long[] {first, step, (last - first) / step + 1};
    }

    /** A name-like value for an {@code #OAR} line. */
    static String word(String what, String value) {
        if (value == null || !WORD.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits and _ . , + - only (for OAR): "
                    + printable(value));
        }
        return value;
    }

    static String path(String what, String value) {
        if (value == null || !PATH.matcher(value).matches() || !value.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be an absolute path of letters, digits and _ . / - only "
                    + "(OAR pastes it into shell and Perl code): " + printable(value));
        }
        return value;
    }



    /** In an array subjob OAR_JOB_ID is the subjob's own id; OAR_ARRAY_ID is the one handed out. */
    @Override
    public String jobIdVariable() {
        return "${OAR_ARRAY_ID:-$OAR_JOB_ID}";
    }

    /** Empty for a plain job (no arguments); first + (OAR_ARRAY_INDEX - 1) × step for an array. */
    @Override
    public String arrayIndexVariable() {
        return "${1:+$(( $1 + (OAR_ARRAY_INDEX - 1) * ${2:-1} ))}";
    }

    // ------------------------------------------------------------------ submit

    /**
     * {@code oarsub -S SCRIPT}; for an array {@code oarsub -S "SCRIPT FIRST STEP"} (OAR runs the
     * command through the user's shell, so the two numbers become $1 and $2).
     */
    @Override
    public List<String> submitCommand(JobSpec spec, String scriptPath) {
        String script = path("script path", scriptPath);
        if (spec.isArray()) {
            long[] range;
            try {
                range = arrayRange(spec.array());
            } catch (UnsupportedOptionException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return List.of("oarsub", "-S", script + " " + range[0] + " " + range[1]);
        }
        return List.of("oarsub", "-S", script);
    }

    /**
     * The id from {@code OAR_JOB_ID=}/{@code OAR_ARRAY_ID=} lines. A refusal prints
     * {@code OAR_JOB_ID=-5} (a negative error code) or nothing and exits non-zero. Exit code 9
     * ("Cannot connect to executor ... Job is killed.") comes after the job was stored: it is not
     * killed (OAR 2.5.9 only says so) and runs once the server is back, so its id is returned.
     */
    @Override
    public String parseJobId(CommandResult result, JobSpec spec) throws SchedulerException {
        if (result.timedOut()) {
            throw new SchedulerException("oarsub did not answer in time (the job may have been submitted anyway)"
                    + tail(result), true);
        }
        String id = idFrom(result.stdout());
        if (id != null && (result.exitCode() == 0 || result.exitCode() == 9)) {
            return id;
        }
        if (result.exitCode() == 0) {
            throw new SchedulerException("oarsub printed no job id: " + result.output(), false);
        }
        String text = refusal(result);
        String hint = hint(text, spec);
        throw new SchedulerException(hint == null ? text : text + " (from " + hint + ")", isTransient(result));
    }

    private static String idFrom(String stdout) {
        Matcher a = ARRAY_ID_LINE.matcher(stdout);
        if (a.find() && ID.matcher(a.group(1)).matches()) {
            return a.group(1);
        }
        Matcher m = JOB_ID_LINE.matcher(stdout);
        String id = null;
        while (m.find()) {
            if (!ID.matcher(m.group(1)).matches()) {
                return null; // OAR_JOB_ID=-5: an error code
            }
            if (id == null) {
                id = m.group(1);
            }
        }
        return id;
    }

    /**
     * What oarsub said, verbatim, without the lines that are not about the refusal: on stdout the
     * informational admission rules ("[ADMISSION RULE] Modify resource description ...") and
     * {@code OAR_JOB_ID=-5}; on stderr OAR 2.5.9's bogus warning about {@code #OAR -d}
     * ("Ignore script value for name parameter") and "Simple array job submission is used".
     */
    static String refusal(CommandResult r) {
        List<String> lines = new ArrayList<>();
        for (String line : r.stderr().split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("/!\\ Ignore script value for name parameter")
                    || l.equals("Simple array job submission is used")) {
                continue;
            }
            lines.add(l);
        }
        for (String line : r.stdout().split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("OAR_JOB_ID=") || l.startsWith("OAR_ARRAY_ID=")
                    || l.startsWith("[ADMISSION RULE] Modify resource description")
                    || l.startsWith("[ADMISSION RULE] Set default walltime")
                    || l.startsWith("[ADMISSION RULE] Automatically")) {
                continue;
            }
            lines.add(l);
        }
        return lines.isEmpty() ? r.output() : String.join("\n", lines);
    }


    /** The %%hpc option a refusal is about, with its value, or null when OAR's words do not tell. */
    static String hint(String text, JobSpec spec) {
        String t = text.toLowerCase(Locale.ROOT);
        Matcher q = NO_QUEUE.matcher(text);
        boolean noQueue = q.find();
        if (noQueue || t.contains("admin queue")) {
            String value = spec != null && spec.partition() != null ? spec.partition() : noQueue ? q.group(1) : null;
            return value != null ? "--partition " + value : spec == null ? "--partition" : null;
        }
        if (t.contains("not enough resources") || t.contains("bad resource request")) {
            if (spec == null) {
                return "--nodes/--ntasks/--cpus-per-task";
            }
            List<String> parts = new ArrayList<>();
            if (spec.nodes() != null) {
                parts.add("--nodes " + spec.nodes());
            }
            if (spec.ntasks() != null) {
                parts.add("--ntasks " + spec.ntasks());
            }
            if (spec.cpusPerTask() != null) {
                parts.add("--cpus-per-task " + spec.cpusPerTask());
            }
            if (spec.partition() != null) {
                parts.add("--partition " + spec.partition());
            }
            return parts.isEmpty() ? null : String.join(", ", parts);
        }
        if (t.contains("walltime")) {
            return spec == null ? "--time" : spec.time() == null ? null : "--time " + walltime(spec.time());
        }
        if (t.contains("project")) {
            return spec == null ? "--account" : spec.account() == null ? null : "--account " + spec.account();
        }
        if (t.contains("array")) {
            return spec == null ? "--array" : spec.array() == null ? null : "--array " + spec.array();
        }
        return null;
    }

    // ------------------------------------------------------------------ status

    /**
     * One {@code oarstat} for all the jobs: every row whose array is one of ours (a plain job is
     * its own array) or whose id is asked for. Ids are digits only, so the SQL is safe.
     */
    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("no job ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : jobIds) {
            ids.add(requireJobId(id));
        }
        String list = String.join(",", ids);
        return List.of("oarstat", "-f", "-J", "--sql", "array_id IN (" + list + ") OR job_id IN (" + list + ")");
    }

    static String requireJobId(String id) {
        return SchedulerText.requireJobId(id, ID, "an OAR");
    }

    /** One row of {@code oarstat -f -J}. */
    record Row(String id, String arrayId, int arrayIndex, String name, String owner, OarStates.Seen seen,
            JobState state, String node, long startTime, long stopTime) {
        JobStatus status() {
            return new JobStatus(state, OarStates.reason(seen, state), node, OarStates.exitCode(seen.exitStatus()));
        }
    }

    /** The rows of an {@code oarstat -J} answer (with or without {@code -f}). */
    static List<Row> rows(CommandResult result) throws SchedulerException {
        if (result.timedOut()) {
            throw new SchedulerException("oarstat did not answer in time" + tail(result), true);
        }
        if (result.exitCode() != 0) {
            throw new SchedulerException(result.output(), SchedulerText.mentionsAny(result.output(), TRANSIENT));
        }
        String json = result.stdout().strip();
        if (json.isEmpty()) {
            return List.of(); // no job matched
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SchedulerException("oarstat printed something that is not JSON: " + abbreviate(json), false);
        }
        if (!root.isJsonObject()) {
            throw new SchedulerException("oarstat printed unexpected JSON: " + abbreviate(json), false);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonObject()) {
                continue;
            }
            JsonObject j = e.getValue().getAsJsonObject();
            String id = text(j, "Job_Id", e.getKey());
            if (!ID.matcher(id).matches()) {
                continue;
            }
            List<String> events = new ArrayList<>();
            JsonElement ev = j.get("events");
            if (ev != null && ev.isJsonArray()) {
                for (JsonElement x : ev.getAsJsonArray()) {
                    if (x.isJsonObject() && x.getAsJsonObject().has("type")) {
                        events.add(x.getAsJsonObject().get("type").getAsString());
                    }
                }
            }
            Integer exit = integer(j, "exit_code");
            OarStates.Seen seen = new OarStates.Seen(text(j, "state", null), events, exit);
            Set<String> nodes = new LinkedHashSet<>();
            JsonElement hosts = j.get("assigned_network_address");
            if (hosts != null && hosts.isJsonArray()) {
                for (JsonElement h : (JsonArray) hosts) {
                    if (h.isJsonPrimitive()) {
                        nodes.add(h.getAsString());
                    }
                }
            }
            Integer index = integer(j, "array_index");
            Integer start = integer(j, "startTime");
            Integer stop = integer(j, "stopTime");
            rows.add(new Row(id, text(j, "array_id", id), index == null ? 1 : index, text(j, "name", null),
                    text(j, "owner", text(j, "job_user", null)), seen, OarStates.map(seen),
                    nodes.isEmpty() ? null : String.join(",", nodes), start == null ? 0 : start, stop == null ? 0 : stop));
        }
        rows.sort((a, b) -> Long.compare(Long.parseLong(a.id()), Long.parseLong(b.id())));
        return rows;
    }

    private static String text(JsonObject j, String key, String dflt) {
        JsonElement v = j.get(key);
        return v == null || v.isJsonNull() || !v.isJsonPrimitive() ? dflt : v.getAsString();
    }

    private static Integer integer(JsonObject j, String key) {
        JsonElement v = j.get(key);
        if (v == null || v.isJsonNull() || !v.isJsonPrimitive()) {
            return null;
        }
        try {
            return (int) Long.parseLong(v.getAsString().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /**
     * Status per asked id: a plain job as itself, an array (asked by its array id) as the state of
     * all its subjobs ({@link JobState#ofArray}); an asked id that is one subjob's own id as that
     * subjob. Ids OAR does not know are left out.
     */
    @Override
    public Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds)
            throws SchedulerException {
        List<Row> rows = rows(result);
        Map<String, JobStatus> out = new LinkedHashMap<>();
        Collection<String> asked = jobIds == null ? List.of() : jobIds;
        for (String id : asked) {
            List<Row> group = new ArrayList<>();
            for (Row r : rows) {
                if (r.arrayId().equals(id)) {
                    group.add(r);
                }
            }
            if (group.isEmpty()) {
                for (Row r : rows) {
                    if (r.id().equals(id)) {
                        group.add(r);
                    }
                }
            }
            if (group.size() == 1) {
                out.put(id, group.get(0).status());
            } else if (!group.isEmpty()) {
                out.put(id, aggregate(group));
            }
        }
        if (jobIds == null) {
            for (Row r : rows) {
                out.putIfAbsent(r.id(), r.status());
            }
        }
        return out;
    }

    private static JobStatus aggregate(List<Row> group) {
        List<JobState> states = new ArrayList<>();
        for (Row r : group) {
            states.add(r.state());
        }
        JobState state = JobState.ofArray(states);
        Row representative = group.get(0);
        for (Row r : group) {
            if (r.state() == state) {
                representative = r;
                break;
            }
        }
        Set<String> nodes = new LinkedHashSet<>();
        for (Row r : group) {
            if (r.node() != null) {
                nodes.add(r.node());
            }
        }
        return new JobStatus(state, OarStates.reason(representative.seen(), state),
                nodes.isEmpty() ? null : String.join(",", nodes), null);
    }

    /** The state of each subjob by its array index (1..N, as OAR numbers them). */
    public Map<Integer, JobState> subjobStates(CommandResult result, String arrayId) throws SchedulerException {
        Map<Integer, JobState> out = new LinkedHashMap<>();
        for (Row r : rows(result)) {
            if (r.arrayId().equals(arrayId)) {
                out.put(r.arrayIndex(), r.state());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ cancel, accounting

    /** {@code --array}: every subjob of an array; a plain job is an array of one. */
    @Override
    public List<String> cancelCommand(String jobId) {
        return List.of("oardel", "--array", requireJobId(jobId));
    }

    /** OAR keeps finished jobs in its database: the same oarstat as for status. */
    @Override
    public Optional<List<String>> accountingCommand(String jobId) {
        return Optional.of(statusCommand(List.of(jobId)));
    }

    /**
     * State (the worst subjob's for an array), exit code and signal from OAR's raw exit status,
     * elapsed time from start to stop (the longest subjob), nodes. OAR keeps no CPU time or memory.
     */
    @Override
    public Optional<JobAccounting> parseAccounting(CommandResult result, String jobId) {
        List<Row> rows;
        try {
            rows = rows(result);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
        List<Row> group = new ArrayList<>();
        for (Row r : rows) {
            if (r.arrayId().equals(jobId)) {
                group.add(r);
            }
        }
        if (group.isEmpty()) {
            for (Row r : rows) {
                if (r.id().equals(jobId)) {
                    group.add(r);
                }
            }
        }
        if (group.isEmpty()) {
            return Optional.empty();
        }
        List<JobState> states = new ArrayList<>();
        for (Row r : group) {
            states.add(r.state());
        }
        JobState state = JobState.ofArray(states);
        Row chosen = null;
        for (Row r : group) {
            if (r.state() == state) {
                Integer raw = r.seen().exitStatus();
                if (chosen == null || (raw != null && raw != 0 && !nonZero(chosen))) {
                    chosen = r;
                }
            }
        }
        Duration elapsed = null;
        Set<String> nodes = new LinkedHashSet<>();
        for (Row r : group) {
            if (r.startTime() > 0 && r.stopTime() >= r.startTime()) {
                Duration d = Duration.ofSeconds(r.stopTime() - r.startTime());
                if (elapsed == null || d.compareTo(elapsed) > 0) {
                    elapsed = d;
                }
            }
            if (r.node() != null) {
                nodes.add(r.node());
            }
        }
        Integer raw = chosen == null ? null : chosen.seen().exitStatus();
        return Optional.of(new JobAccounting(state, OarStates.exitCode(raw), OarStates.signal(raw), elapsed, null, null,
                nodes.isEmpty() ? null : String.join(",", nodes)));
    }

    private static boolean nonZero(Row r) {
        return r.seen().exitStatus() != null && r.seen().exitStatus() != 0;
    }

    // ------------------------------------------------------------------ find by name

    /**
     * This user's jobs with that name, finished ones included. oarstat has no "my jobs with this
     * name" option, so a fixed shell line asks with {@code --sql}; the name arrives as $1 and is
     * checked to be a plain word first, the user is {@code id -un}.
     */
    @Override
    public List<String> findByNameCommand(String jobName) {
        word("job name", jobName);
        return List.of("/bin/sh", "-c",
                "exec oarstat -J --sql \"job_name = '$1' AND job_user = '$(id -un)'\"", "oarstat", jobName);
    }

    /** The newest (highest) array id among the jobs named exactly {@code jobName}. */
    @Override
    public Optional<String> parseFindByName(CommandResult result, String jobName) {
        List<Row> rows;
        try {
            rows = rows(result);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
        return SchedulerText.highestId(rows.stream()
                .filter(r -> jobName.equals(r.name()) && ID.matcher(r.arrayId()).matches())
                .map(Row::arrayId));
    }

    // ------------------------------------------------------------------ misc

    @Override
    public boolean isTransient(CommandResult result) {
        return SchedulerText.failedTransiently(result, TRANSIENT);
    }

    @Override
    public List<List<String>> versionCommands() {
        return List.of(List.of("oarsub", "-V"), List.of("oarstat", "-V"));
    }
}
