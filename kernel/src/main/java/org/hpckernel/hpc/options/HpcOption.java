package org.hpckernel.hpc.options;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options of {@code %%hpc}. They mirror sbatch's long options so users already know them.
 * Each value is checked against a strict pattern here, before anything is packaged: a value that
 * is not a plain token never reaches a batch script or a shell.
 */
public enum HpcOption {
    CLUSTER("--cluster", null, "NAME", "cluster profile to use (see %hpc clusters)", "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", false),
    PARTITION("--partition", "-p", "NAME", "partition (queue) to submit to", "[A-Za-z0-9][A-Za-z0-9_.,-]{0,127}", false),
    TIME("--time", "-t", "TIME", "time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS",
            "(\\d+)|(\\d+):(\\d{1,2})|(\\d+):(\\d{1,2}):(\\d{1,2})|(\\d+)-(\\d{1,2})(:(\\d{1,2})(:(\\d{1,2}))?)?", false),
    NODES("--nodes", "-N", "N", "number of nodes (N or MIN-MAX)", "[1-9]\\d{0,5}(-[1-9]\\d{0,5})?", false),
    NTASKS("--ntasks", "-n", "N", "number of tasks", "[1-9]\\d{0,6}", false),
    CPUS_PER_TASK("--cpus-per-task", "-c", "N", "CPUs per task", "[1-9]\\d{0,4}", false),
    MEM("--mem", null, "SIZE", "memory per node: a number with an optional unit K, M, G or T (e.g. 4G)",
            "[1-9]\\d{0,9}[KMGTkmgt]?[Bb]?", false),
    GPUS("--gpus", null, "N|TYPE:N", "GPUs for the job", "([A-Za-z0-9_-]{1,32}:)?[1-9]\\d{0,3}", false),
    ACCOUNT("--account", "-A", "NAME", "account (project) to charge", "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", false),
    QOS("--qos", null, "NAME", "quality of service", "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", false),
    JOB_NAME("--job-name", "-J", "NAME", "job name (letters, digits, _ . + -)", "[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}", false),
    ARRAY("--array", null, "SPEC", "job array: 0-15, 1,3,5, 1-100:10, optionally %N to run at most N at once",
            "\\d{1,7}(-\\d{1,7}(:[1-9]\\d{0,6})?)?(,\\d{1,7}(-\\d{1,7}(:[1-9]\\d{0,6})?)?)*(%[1-9]\\d{0,5})?", false),
    ENV("--env", null, "K=V", "environment variable for the job (repeatable)", "[A-Za-z_][A-Za-z0-9_]{0,127}=[^\\n\\r\\x00]*", true),
    MODULE("--module", null, "NAME", "environment module to load before the payload (repeatable)",
            "[A-Za-z0-9_][A-Za-z0-9_./+-]{0,127}", true),
    OUT("--out", null, "NAME[,NAME…]", "return these variables to the notebook when the job completes (repeatable): Java: names"
            + " declared in the cell, bound with their declared types (List<T> in task order for arrays); #! cells: NAME[:TYPE],"
            + " read from $HPC_OUTPUTS/NAME.json (without TYPE: numbers as double, strings, booleans, lists as List<Object>,"
            + " objects as Map<String,Object>)", "[A-Za-z_$][A-Za-z0-9_$.,:<>?\\[\\] ]{0,1023}", true),
    IN("--in", null, "NAME", "#! cells: write this notebook variable as JSON to $HPC_INPUTS/NAME.json (repeatable;"
            + " Java cells get the variables they use automatically)", "[A-Za-z_$][A-Za-z0-9_$]{0,127}", true),
    FOR("--for", null, "NAME:LIST", "Java: one array task per element of the notebook's LIST (a List or an array), with NAME"
            + " bound to it (implies --array 0..n-1; --out r gives List<R> r aligned with LIST)",
            "[A-Za-z_$][A-Za-z0-9_$]{0,127}:[A-Za-z_$][A-Za-z0-9_$]{0,127}", false),
    MAX_INPUT("--max-input", null, "SIZE", "cap on the notebook values shipped with the job, in total (default 1MB or the"
            + " cluster's maxInputBytes): bytes, or a number with K, M or G (e.g. 8MB)", "[1-9]\\d{0,12}([KMGkmg]i?[Bb]?|[Bb])?", false),
    DETACH("--detach", null, null, "submit, show the job id and return; the job keeps running", null, false),
    DRY_RUN("--dry-run", null, null, "show the generated batch script; submit nothing", null, false),
    RESUBMIT("--resubmit", null, null, "submit a new job even if this cell's earlier job still runs", null, false);

    private final String longName;
    private final String shortName;
    private final String valueName;
    private final String help;
    private final Pattern valuePattern;
    private final boolean repeatable;

    HpcOption(String longName, String shortName, String valueName, String help, String valueRegex, boolean repeatable) {
        this.longName = longName;
        this.shortName = shortName;
        this.valueName = valueName;
        this.help = help;
        this.valuePattern = valueRegex == null ? null : Pattern.compile(valueRegex);
        this.repeatable = repeatable;
    }

    public String longName() {
        return longName;
    }

    public Optional<String> shortName() {
        return Optional.ofNullable(shortName);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    public String valueName() {
        return valueName;
    }

    public String help() {
        return help;
    }

    /**
     * Options that describe one cell's values, never a cluster default: the profile keys
     * maxInputBytes and maxOutputBytes set the caps for a whole cluster instead.
     */
    public boolean cellOnly() {
        return this == OUT || this == IN || this == FOR || this == MAX_INPUT;
    }

    public boolean repeatable() {
        return repeatable;
    }

    public boolean accepts(String value) {
        return valuePattern != null && valuePattern.matcher(value).matches();
    }

    /** The key used in cluster profile defaults ("cpus-per-task", "time"…). */
    public String key() {
        return longName.substring(2);
    }

    public static Optional<HpcOption> byName(String name) {
        return Arrays.stream(values())
                .filter(o -> o.longName.equals(name) || name.equals(o.shortName))
                .findFirst();
    }

    public static Optional<HpcOption> byKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.key().equals(k)).findFirst();
    }

    public static List<String> longNames() {
        return Arrays.stream(values()).map(HpcOption::longName).toList();
    }
}
