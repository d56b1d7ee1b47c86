package org.hpckernel.hpc.scheduler;

import static org.hpckernel.hpc.scheduler.SchedulerText.matching;
import static org.hpckernel.hpc.scheduler.SchedulerText.positive;
import static org.hpckernel.hpc.scheduler.SchedulerText.withoutTrailingSlashes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.scheduler.PbsScheduler.Flavor;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * PBS, in its two living forms, chosen by {@link Flavor}: PBS Professional / OpenPBS (19 and
 * later: {@code qstat -F json}) and Torque (4 to 6). {@link Flavor#fromVersion} tells them apart
 * from {@code qstat --version} ({@code pbs_version = 2022.1.1} vs {@code Version: 6.1.2}).
 *
 * <ul>
 *   <li>submit: {@code qsub SCRIPT} prints {@code 123.server}, {@code 123[].server} for an array;
 *       that whole id is the job id from then on;
 *   <li>status: one call for all jobs: PBS Pro {@code qstat -f -F json -x -t ID...} (-x: finished
 *       jobs too, while the server keeps history; -t: array subjobs); Torque
 *       {@code qstat -f -1 -t ID...} (completed jobs stay for keep_completed seconds). An id qstat
 *       does not know ({@code qstat: Unknown Job Id ...} on stderr, exit status 153) is simply not
 *       in the answer;
 *   <li>accounting: the same full status for one job (PBS keeps no separate accounting a user can
 *       read: Exit_status, resources_used.walltime/cput/mem, exec_host);
 *   <li>cancel: {@code qdel ID}.
 * </ul>
 *
 * Resources: PBS Pro {@code -l select=N:ncpus=C:mpiprocs=T[:ompthreads=c][:mem=Mmb][:ngpus=G]} plus
 * {@code -l place=scatter} for several nodes; Torque {@code -l nodes=N:ppn=C[:gpus=G]} and
 * {@code -l mem=} (Torque's mem is for the whole job, Slurm's --mem per node).
 */
final class PbsDialect implements Dialect {
    static final String NAME = "pbs";

    private static final List<String> TRANSIENT = List.of(
            "cannot connect to server",
            "connection refused",
            "could not connect to batch server",
            "could not connect to trqauthd",
            "pbs server is currently too busy",
            "server busy",
            "possible transient failure",
            "no free connections",
            "communication failure",
            "connection timed out",
            "timed out",
            "time out",
            "server shutting down",
            "pbs_iff");

    /** 123.srv, 123[].srv, 123[4].srv, 123 (the server part as the server names itself). */
    static final Pattern JOB_ID = Pattern.compile("[0-9]{1,12}(?:\\[[0-9]{0,9}\\])?(?:\\.[A-Za-z0-9._-]{1,255})?");
    private static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern QUEUE_CHARS = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern ACCOUNT_CHARS = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern GPUS = Pattern.compile("(?:([A-Za-z0-9_-]+):)?([1-9][0-9]*)");
    /** The job directory: an absolute path PBS takes literally (':' would be read as a host, '^' as a placeholder). */
    private static final Pattern PATH_CHARS = Pattern.compile("/[A-Za-z0-9_./+@=~-]*");
    private static final int TORQUE_NAME_MAX = 15;
    private static final int PRO_NAME_MAX = 236;

    private final Flavor flavor;

    PbsDialect(Flavor flavor) {
        if (flavor == null) {
            throw new IllegalArgumentException("flavor");
        }
        this.flavor = flavor;
    }

    Flavor flavor() {
        return flavor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String label() {
        return flavor == Flavor.PRO ? "PBS Professional" : "Torque";
    }

    @Override
    public String directivePrefix() {
        return "#PBS";
    }

    // ------------------------------------------------------------------ directives

    @Override
    public List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        if (spec.qos() != null) {
            throw new UnsupportedOptionException(NAME, "--qos " + spec.qos(),
                    label() + " has no quality of service; use --partition for a queue");
        }
        List<String> out = new ArrayList<>();
        out.add("#PBS -N " + jobName(spec.jobName()));
        out.add("#PBS -S /bin/bash");
        if (spec.jobDir() != null) {
            String dir = path(spec.jobDir());
            // PBS Pro replaces ^array_index^ in -o paths with the subjob's index; Torque has no
            // such placeholder (the body writes each task's own files anyway).
            boolean perTask = spec.isArray() && flavor == Flavor.PRO;
            out.add("#PBS -o " + dir + (perTask ? "/scheduler.^array_index^.out" : "/scheduler.out"));
            out.add("#PBS -j oe");
        }
        if (spec.partition() != null) {
            if (spec.partition().indexOf(',') >= 0) {
                throw new UnsupportedOptionException(NAME, "--partition " + spec.partition(),
                        "a PBS job goes to one queue (qsub -q QUEUE); routing queues pick among several");
            }
            out.add("#PBS -q " + check("--partition", spec.partition(), QUEUE_CHARS));
        }
        if (spec.time() != null) {
            out.add("#PBS -l walltime=" + hms(spec.time()));
        }
        out.addAll(flavor == Flavor.PRO ? selectDirectives(spec) : torqueResourceDirectives(spec));
        if (spec.account() != null) {
            out.add("#PBS -A " + check("--account", spec.account(), ACCOUNT_CHARS));
        }
        if (spec.array() != null) {
            out.add(flavor == Flavor.PRO ? "#PBS -J " + proArray(spec.array()) : "#PBS -t " + torqueArray(spec.array()));
        }
        return out;
    }

    /** Nodes, tasks per node, CPUs per task, and the GPU count, checked. */
    private record Shape(int nodes, int tasksPerNode, int cpusPerTask, Long memMb, Integer gpusPerNode) {}

    private Shape shape(JobSpec spec) throws UnsupportedOptionException {
        int nodes = 1;
        if (spec.nodes() != null) {
            if (!spec.nodes().matches("[1-9][0-9]{0,5}")) {
                throw new UnsupportedOptionException(NAME, "--nodes " + spec.nodes(),
                        label() + " takes an exact node count, not a range");
            }
            nodes = Integer.parseInt(spec.nodes());
        }
        int tasks = spec.ntasks() == null ? nodes : (int) positive("--ntasks", spec.ntasks());
        int cpus = spec.cpusPerTask() == null ? 1 : (int) positive("--cpus-per-task", spec.cpusPerTask());
        if (tasks % nodes != 0) {
            throw new UnsupportedOptionException(NAME, "--ntasks " + tasks + " with --nodes " + nodes,
                    label() + " gives every node the same share (" + (flavor == Flavor.PRO
                            ? "select=N:ncpus=..." : "nodes=N:ppn=...") + "); make --ntasks a multiple of --nodes");
        }
        Long mem = spec.memMegabytes() == null ? null : positive("--mem", spec.memMegabytes());
        Integer gpus = null;
        if (spec.gpus() != null) {
            Matcher g = GPUS.matcher(spec.gpus());
            if (!g.matches()) {
                throw new IllegalArgumentException("--gpus must be N or TYPE:N: " + spec.gpus());
            }
            if (g.group(1) != null) {
                throw new UnsupportedOptionException(NAME, "--gpus " + spec.gpus(),
                        label() + " has no standard way to name a GPU type (each site defines its own "
                                + "resource for it); ask for a GPU count only, or a queue with that GPU type");
            }
            int total = Integer.parseInt(g.group(2));
            if (total % nodes != 0) {
                throw new UnsupportedOptionException(NAME, "--gpus " + spec.gpus() + " with --nodes " + nodes,
                        label() + " asks for GPUs per node; make --gpus a multiple of --nodes");
            }
            gpus = total / nodes;
        }
        return new Shape(nodes, tasks / nodes, cpus, mem, gpus);
    }

    private List<String> selectDirectives(JobSpec spec) throws UnsupportedOptionException {
        Shape s = shape(spec);
        if (spec.nodes() == null && spec.ntasks() == null && spec.cpusPerTask() == null && s.memMb() == null
                && s.gpusPerNode() == null) {
            return List.of();
        }
        // one chunk per node: ncpus for all its tasks, mpiprocs = MPI ranks, ompthreads = CPUs per rank
        StringBuilder chunk = new StringBuilder("#PBS -l select=").append(s.nodes())
                .append(":ncpus=").append((long) s.tasksPerNode() * s.cpusPerTask())
                .append(":mpiprocs=").append(s.tasksPerNode());
        if (s.cpusPerTask() > 1) {
            chunk.append(":ompthreads=").append(s.cpusPerTask());
        }
        if (s.memMb() != null) {
            chunk.append(":mem=").append(s.memMb()).append("mb"); // per chunk = per node, like --mem
        }
        if (s.gpusPerNode() != null) {
            chunk.append(":ngpus=").append(s.gpusPerNode());
        }
        List<String> out = new ArrayList<>();
        out.add(chunk.toString());
        if (s.nodes() > 1) {
            out.add("#PBS -l place=scatter"); // one chunk per host: --nodes means distinct nodes
        }
        return out;
    }

    private List<String> torqueResourceDirectives(JobSpec spec) throws UnsupportedOptionException {
        Shape s = shape(spec);
        List<String> out = new ArrayList<>();
        if (spec.nodes() != null || spec.ntasks() != null || spec.cpusPerTask() != null || s.gpusPerNode() != null) {
            String line = "#PBS -l nodes=" + s.nodes() + ":ppn=" + ((long) s.tasksPerNode() * s.cpusPerTask());
            if (s.gpusPerNode() != null) {
                line += ":gpus=" + s.gpusPerNode();
            }
            out.add(line);
        }
        if (s.memMb() != null) {
            out.add("#PBS -l mem=" + s.memMb() * s.nodes() + "mb"); // Torque's mem: the whole job
        }
        return out;
    }

    /**
     * PBS Pro's {@code -J X-Y[:Z]}: one range of at least two indices, from 0 up. A single index,
     * an uneven list and a {@code %N} throttle cannot be expressed the same way.
     */
    String proArray(String array) throws UnsupportedOptionException {
        if (array.indexOf('%') >= 0) {
            throw new UnsupportedOptionException(NAME, "--array " + array,
                    "PBS Professional's -J takes no %N throttle before OpenPBS 20 / PBS Pro 2020 (older servers "
                            + "answer \"qsub: illegal -J value\"); newer ones limit running subjobs with the "
                            + "max_run_subjobs attribute instead. Drop the %N part");
        }
        List<Integer> ids = ArraySpec.indices(array);
        if (ids.size() < 2) {
            throw new UnsupportedOptionException(NAME, "--array " + array,
                    "a PBS Professional array needs at least two indices (-J X-Y with Y > X; \"qsub: illegal "
                            + "-J value\" otherwise); submit without --array for a single task");
        }
        String range = evenRange(ids);
        if (range == null) {
            throw new UnsupportedOptionException(NAME, "--array " + array,
                    "PBS Professional's -J takes one evenly spaced range (X-Y:Z), not the list " + array);
        }
        return range;
    }

    /** Torque's {@code -t}: ranges and single ids separated by commas, optionally {@code %N}. */
    static String torqueArray(String array) {
        String body = array;
        String throttle = "";
        int pct = array.indexOf('%');
        if (pct >= 0) {
            body = array.substring(0, pct);
            throttle = array.substring(pct);
            if (!throttle.matches("%[1-9][0-9]{0,8}")) {
                throw new IllegalArgumentException("--array throttle must be a positive number: " + array);
            }
        }
        List<Integer> ids = ArraySpec.indices(body); // spells out steps: Torque's -t has no ":step"
        List<String> parts = new ArrayList<>();
        int start = ids.get(0);
        int prev = start;
        for (int i = 1; i <= ids.size(); i++) {
            if (i < ids.size() && ids.get(i) == prev + 1) {
                prev = ids.get(i);
                continue;
            }
            parts.add(start == prev ? Integer.toString(start) : start + "-" + prev);
            if (i < ids.size()) {
                start = ids.get(i);
                prev = start;
            }
        }
        return String.join(",", parts) + throttle;
    }

    /** {@code 1,3,5} -> {@code 1-5:2}; {@code 2-7} -> {@code 2-7}; uneven -> null. */
    static String evenRange(List<Integer> ids) {
        int step = ids.get(1) - ids.get(0);
        for (int i = 2; i < ids.size(); i++) {
            if (ids.get(i) - ids.get(i - 1) != step) {
                return null;
            }
        }
        String range = ids.get(0) + "-" + ids.get(ids.size() - 1);
        return step == 1 ? range : range + ":" + step;
    }

    /**
     * The name qsub gets. PBS Pro: up to 236 characters, the first alphanumeric. Torque: up to 15
     * characters, the first alphabetic (qsub(1B)). Anything else gets a "j" in front; Torque's is
     * cut to 15. {@link #findByNameCommand} looks for this same name.
     */
    String jobName(String name) {
        if (name == null) {
            return "hpc-job";
        }
        check("--job-name", name, NAME_CHARS);
        char first = name.charAt(0);
        boolean ok = flavor == Flavor.PRO ? Character.isLetterOrDigit(first) : Character.isLetter(first);
        String n = ok ? name : "j" + name;
        int max = flavor == Flavor.PRO ? PRO_NAME_MAX : TORQUE_NAME_MAX;
        return n.length() > max ? n.substring(0, max) : n;
    }

    /** {@code HH:MM:SS} with as many hours as needed; at least 1 s. */
    static String hms(Duration limit) {
        long s = SchedulerText.limitSeconds(limit);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }


    static String check(String what, String value, Pattern allowed) {
        return matching(what, value, allowed, "PBS");
    }

    static String path(String jobDir) {
        String dir = withoutTrailingSlashes(jobDir);
        if (!PATH_CHARS.matcher(dir).matches()) {
            throw new IllegalArgumentException("job directory must be an absolute path of letters, digits and "
                    + "_ . / + @ = ~ - for PBS (qsub reads ':' as a host): " + jobDir.replace("\n", "\\n"));
        }
        return dir;
    }

    /** The id qsub printed: for an array the array's ({@code 123[].srv}), in every subjob too. */
    @Override
    public String jobIdVariable() {
        return flavor == Flavor.PRO
                ? "${PBS_ARRAY_ID:-$PBS_JOBID}"
                // Torque has no variable for the array's id: 12[3].srv with index 3 -> 12[].srv
                : "${PBS_JOBID/\\[${PBS_ARRAYID}\\]/[]}";
    }

    @Override
    public String arrayIndexVariable() {
        return flavor == Flavor.PRO ? "${PBS_ARRAY_INDEX:-}" : "${PBS_ARRAYID:-}";
    }

    // ------------------------------------------------------------------ submit

    @Override
    public List<String> submitCommand(JobSpec spec, String scriptPath) {
        return List.of("qsub", scriptPath);
    }

    @Override
    public Pattern jobId() {
        return JOB_ID;
    }

    /** {@code 123.server}, {@code 123[].server} for an array: that whole id is the job id from then on. */
    @Override
    public List<Pattern> submittedId() {
        return List.of(Pattern.compile("^(" + JOB_ID.pattern() + ")$"));
    }

    @Override
    public List<Refusal> refusals() {
        return REFUSALS;
    }

    static final List<Refusal> REFUSALS = List.of(
            Refusal.anyOf(List.of("unknown queue", "queue not found", "queue is not enabled", "access to queue is denied",
                    "no default queue"), "--partition", JobSpec::partition),
            Refusal.anyOf(List.of("-j value", "array"), "--array", JobSpec::array),
            Refusal.of("account", "--account", JobSpec::account),
            Refusal.of("walltime", "--time", s -> s.time() == null ? null : hms(s.time())),
            Refusal.anyOf(List.of("ngpus", "gpus"), "--gpus", JobSpec::gpus),
            Refusal.of("mem", "--mem", s -> s.memMegabytes() == null ? null : s.memMegabytes() + "M"),
            new Refusal(List.of("ncpus", "ppn", "mpiprocs", "nodes", "select"),
                    (text, spec) -> SchedulerText.layoutOptions(spec)),
            new Refusal(List.of("exceeds queue resource limits", "resource limit"),
                    (text, spec) -> spec == null ? null : SchedulerText.layoutOptions(spec,
                            spec.time() == null ? null : "--time " + hms(spec.time()),
                            spec.memMegabytes() == null ? null : "--mem " + spec.memMegabytes() + "M",
                            spec.gpus() == null ? null : "--gpus " + spec.gpus())),
            Refusal.of("job name", "--job-name", JobSpec::jobName));



    // ------------------------------------------------------------------ status

    /**
     * PBS Pro {@code qstat -f -F json -x -t ID...} (-x: finished jobs too, while the server keeps
     * history; -t: array subjobs); Torque {@code qstat -f -1 -t ID...}.
     */
    @Override
    public List<String> statusCommand(List<String> jobIds) {
        List<String> argv = new ArrayList<>(flavor == Flavor.PRO
                ? List.of("qstat", "-f", "-F", "json", "-x", "-t")
                : List.of("qstat", "-f", "-1", "-t"));
        argv.addAll(jobIds);
        return argv;
    }

    /**
     * qstat goes through every id: it prints what it found and, on stderr, "qstat: Unknown Job Id
     * ..." for the rest, and exits with that error's number (153): the answer is read all the same.
     */
    @Override
    public boolean statusAnswered(CommandResult result) {
        if (result.exitCode() == 0) {
            return true;
        }
        for (String line : result.stderr().split("\n")) {
            String l = line.strip().toLowerCase(Locale.ROOT);
            if (!l.isEmpty() && !l.contains("unknown job id") && !l.contains("job has finished")
                    && !l.contains("job_history_enable")) {
                return false;
            }
        }
        return true;
    }

    List<PbsQstat.Job> records(String stdout) throws SchedulerException {
        if (stdout.isBlank()) {
            return List.of();
        }
        return flavor == Flavor.PRO ? PbsQstat.parseJson(stdout) : PbsQstat.parseText(stdout);
    }

    /**
     * Every job and subjob qstat lists; an array's own record ({@code 123[].srv}) stands for the
     * array only while qstat lists none of its subjobs.
     */
    @Override
    public List<Task> tasks(String stdout) throws SchedulerException {
        List<Task> out = new ArrayList<>();
        for (PbsQstat.Job j : records(stdout)) {
            JobStatus s = PbsStates.map(j, flavor);
            out.add(j.parentId() == null ? new Task(j.id(), j.id(), null, false, s, j.array())
                    : new Task(j.parentId(), j.id(), null, true, s));
        }
        return out;
    }

    @Override
    public List<String> transientPhrases() {
        return TRANSIENT;
    }

    /**
     * Whether a requested id and one qstat printed name the same job: equal, or the same sequence
     * number (and array brackets) with one server name a short form of the other
     * ({@code 12.pbs01} / {@code 12.pbs01.example.org} / {@code 12}).
     */
    @Override
    public boolean sameJob(String requested, String printed) {
        return same(requested, printed);
    }

    static boolean same(String requested, String printed) {
        if (requested.equals(printed)) {
            return true;
        }
        int a = requested.indexOf('.');
        int b = printed.indexOf('.');
        String seqA = a < 0 ? requested : requested.substring(0, a);
        String seqB = b < 0 ? printed : printed.substring(0, b);
        if (!seqA.equals(seqB)) {
            return false;
        }
        if (a < 0 || b < 0) {
            return true;
        }
        String srvA = requested.substring(a + 1);
        String srvB = printed.substring(b + 1);
        return srvA.startsWith(srvB + ".") || srvB.startsWith(srvA + ".");
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    public List<String> cancelCommand(String jobId) {
        return List.of("qdel", jobId);
    }

    /** PBS keeps no separate accounting a user can read: the same full status, for one job. */
    @Override
    public Optional<List<String>> accountingCommand(String jobId) {
        return Optional.of(statusCommand(List.of(jobId)));
    }

    /** From the same full status ({@link PbsQstat#accounting}). */
    @Override
    public Optional<JobAccounting> accounting(CommandResult result, String jobId) {
        try {
            return result.timedOut() || !statusAnswered(result) ? Optional.empty()
                    : PbsQstat.accounting(records(result.stdout()), jobId, flavor);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ find by name

    /**
     * {@code qselect} lists the ids of jobs with a given name, but of every user unless told which:
     * the user is asked of {@code id -un} on the cluster side. The name arrives as a positional
     * parameter, never pasted into the shell text. PBS Pro's {@code -x} includes finished jobs.
     */
    /** Torque keeps 15 characters of a name, PBS Professional 236 (qsub -N). */
    @Override
    public int nameLimit() {
        return flavor == Flavor.PRO ? PRO_NAME_MAX : TORQUE_NAME_MAX;
    }

    @Override
    public String submittedName(String name) {
        return jobName(name);
    }

    @Override
    public List<String> findByNameCommand(String jobName) {
        String name = jobName(jobName);
        String select = flavor == Flavor.PRO ? "qselect -x" : "qselect";
        return List.of("/bin/sh", "-c", select + " -u \"$(id -un)\" -N \"$1\"", "hpc-find-by-name", name);
    }

    /** The ids qselect printed. */
    @Override
    public List<String> idsNamed(String stdout, String jobName) {
        return GridScheduler.lines(stdout).stream().filter(id -> JOB_ID.matcher(id).matches()).toList();
    }

    /** Ids are ordered by their sequence number: {@code 123} of {@code 123[].srv}. */
    @Override
    public ToLongFunction<String> sequence() {
        return PbsDialect::number;
    }

    /** The sequence number of a job id: {@code 123} of {@code 123[].srv} (a {@link #JOB_ID} starts with it). */
    static long number(String jobId) {
        int end = 0;
        while (end < jobId.length() && Character.isDigit(jobId.charAt(end))) {
            end++;
        }
        return Long.parseLong(jobId.substring(0, end));
    }

    /** {@code qstat --version}: PBS Pro {@code pbs_version = 2022.1.1}, Torque {@code Version: 6.1.2}. */
    @Override
    public List<List<String>> versionCommands() {
        return List.of(List.of("qstat", "--version"));
    }
}
