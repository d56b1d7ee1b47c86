package org.hpckernel.hpc.environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hpckernel.hpc.transport.ShellQuote;
import org.hpckernel.runner.JobLayout;

/**
 * The environment part of job.sh, in three blocks that the batch script places in order: modules
 * ({@link #modules}: initialise {@code module} in the non-login batch shell, load each module,
 * stop at the first that fails), the payload's wrapper ({@link #wrapper}: a bash array
 * {@code hpc_wrap} put before the payload's command, empty when nothing wraps it), and the record
 * ({@link #record}: {@code environment.json}, read on the node after setup, before the payload).
 * Every value from a cell or a profile is quoted here; the node expands only {@code ~/}.
 */
public final class EnvironmentScript {
    /** job.sh's exit code when the environment could not be set up; the payload did not run. */
    public static final int SETUP_FAILED = 125;

    /** What goes before the payload's command: the wrapper's words (none without a container or Guix). */
    public static final String WRAP = "\"${hpc_wrap[@]}\" ";

    /** Prints the SHA-256 of a file (or of /dev/stdin) with whichever tool the node has. */
    public static final String SHA256_FUNCTION = "hpc_sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum -- \"$1\";"
            + " elif command -v shasum >/dev/null 2>&1; then shasum -a 256 -- \"$1\"; else openssl dgst -sha256 -r -- \"$1\"; fi"
            + " 2>/dev/null | { read -r h _; printf '%s' \"$h\"; }; }";

    /** The work directory's cache of image digests: one file per image path, named by the SHA-256 of the path. */
    public static final String DIGEST_CACHE = "image-digests";

    /**
     * Prints the SHA-256 of an image file ({@code $1}), hashing it only when it changed since it
     * was last hashed from this work directory: a multi-GB SIF costs seconds to read, on every job.
     * The key is what stat tells without reading the file: device, inode, size, mtime (to the
     * nanosecond) and path, taken before hashing, so that a write during the hash makes the next
     * job hash again. An entry ({@code $hpc_digests/SHA256-OF-PATH}: the key, then the digest) is used
     * only when it is the user's own and its key matches; a changed image overwrites its entry. A file rewritten in place to the same size
     * and mtime (touch -r) is not noticed: that takes intent, not an update.
     */
    static final String IMAGE_SHA256_FUNCTION = "  hpc_image_sha256() { local key h e k f=;"
            + " key=$(find -L \"$1\" -maxdepth 0 -printf '%D %i %s %T@ %p' 2>/dev/null);"
            + " if [ -n \"$key\" ]; then f=\"$hpc_digests/$(printf '%s' \"$1\" | hpc_sha256 /dev/stdin)\";"
            + " if [ -f \"$f\" ] && [ -O \"$f\" ] && { IFS= read -r k && IFS= read -r e; } < \"$f\" && [ \"$k\" = \"$key\" ]"
            + " && [ ${#e} -eq 64 ]; then printf '%s' \"$e\"; return; fi; fi;"
            + " h=$(hpc_sha256 \"$1\");"
            + " if [ -n \"$f\" ] && [ ${#h} -eq 64 ] && mkdir -p \"$hpc_digests\" 2>/dev/null; then"
            + " printf '%s\\n%s\\n' \"$key\" \"$h\" > \"$f.$(hostname).$$\" 2>/dev/null && mv -f \"$f.$(hostname).$$\" \"$f\" 2>/dev/null; fi;"
            + " printf '%s' \"$h\"; }";

    /**
     * Where a batch shell that has no {@code module} yet finds it: the scripts a site's login shells
     * source (they also set the site's MODULEPATH), then the module systems' own init scripts.
     */
    static final List<String> MODULE_INIT_PROBES = List.of("/etc/profile.d/lmod.sh", "/etc/profile.d/z00_lmod.sh",
            "/etc/profile.d/modules.sh", "${LMOD_PKG:+$LMOD_PKG/init/bash}", "${MODULESHOME:+$MODULESHOME/init/bash}",
            "/usr/share/lmod/lmod/init/bash", "/usr/share/modules/init/bash");

    /** The PATH inside a cleared environment (what Apptainer gives a --cleanenv container). */
    static final String CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** What every payload needs inside a clean environment, besides the cell's own --env names. */
    static final List<String> JOB_VARIABLES = List.of("HPC_JOB_DIR", "HPC_CLUSTER", "HPC_JOB_ID", "HPC_ARRAY_INDEX", "HPC_JOB_RUN");

    private EnvironmentScript() {}

    /** The shell functions the later blocks (and the Java payload's checks) use. */
    public static List<String> functions() {
        return List.of("hpc_env_fail() { printf 'hpc-kernel: %s; the payload was not run\\n' \"$1\" >&2; exit " + SETUP_FAILED + "; }",
                SHA256_FUNCTION);
    }

    /** The module system's initialisation and one checked load per module (nothing without modules). */
    public static List<String> modules(List<String> modules, JobEnvironment env) {
        List<String> lines = new ArrayList<>();
        if (modules.isEmpty()) return lines;
        String init = env.moduleInit();
        if (init != null) {
            String word = NodePath.word(init);
            lines.add("[ -r " + word + " ] || hpc_env_fail \"moduleInit " + init.replace("\"", "")
                    + " is not a readable file on $(hostname): set the cluster profile's \\\"moduleInit\\\" to the script its login shells source\"");
            lines.add(". " + word);
        } else {
            lines.add("if ! type module >/dev/null 2>&1; then");
            lines.add("  for hpc_init in " + String.join(" ", MODULE_INIT_PROBES.stream().map(p -> "\"" + p + "\"").toList()) + "; do");
            lines.add("    [ -n \"$hpc_init\" ] && [ -r \"$hpc_init\" ] && { . \"$hpc_init\"; break; }");
            lines.add("  done");
            lines.add("fi");
        }
        lines.add("type module >/dev/null 2>&1 || hpc_env_fail \"--module needs the module command, but this batch shell on $(hostname)"
                + " has none" + (init == null ? " and none of the usual init scripts was found ("
                + String.join(", ", MODULE_INIT_PROBES).replace("$", "\\$").replace("\"", "") + ")" : " after sourcing " + init)
                + ": set the cluster profile's \\\"moduleInit\\\" to the script its login shells source\"");
        for (String module : modules) {
            String q = ShellQuote.quote(module);
            // Old Environment Modules (3.x) return 0 even when a load fails: what is loaded is checked too.
            lines.add("module load " + q + " || hpc_env_fail \"module load " + module + " failed (the module system's message is above)\"");
            lines.add("case \":${LOADEDMODULES:-}:\" in *:" + q + ":*|*:" + q + "/*) ;; *) hpc_env_fail \"module " + module
                    + " is not loaded after module load (LOADEDMODULES=${LOADEDMODULES:-})\" ;; esac");
        }
        return lines;
    }

    /**
     * Defines {@code hpc_wrap}: the words that run the payload inside the container or the Guix
     * shell. The work directory is always bound (the job directory, the runner jar and the jar cache
     * are in it), the job directory too when it lies elsewhere; the container starts with a clean
     * environment, into which the job's variables and the cell's --env names are passed by name.
     */
    public static List<String> wrapper(JobEnvironment env, String workdir, String jobDir, Set<String> envNames) {
        List<String> lines = new ArrayList<>();
        lines.add("hpc_wrap=()");
        if (env.container() != null) lines.addAll(container(env.container(), workdir, jobDir, envNames));
        if (env.guix() != null) lines.addAll(guix(env.guix()));
        return lines;
    }

    private static List<String> container(JobEnvironment.Container c, String workdir, String jobDir, Set<String> envNames) {
        List<String> lines = new ArrayList<>();
        ContainerRuntime runtime = c.runtime();
        String cmd = runtime.command();
        lines.add("hpc_runtime=$(command -v " + cmd + ") || hpc_env_fail \"--container: " + cmd + " is not on the PATH of $(hostname):"
                + " load its module (--module, or the profile's \\\"modules\\\") or set the profile's \\\"containerRuntime\\\"\"");
        lines.add("hpc_image=" + NodePath.word(c.image()));
        lines.add("hpc_digests=" + NodePath.word(workdir.endsWith("/") ? workdir + DIGEST_CACHE : workdir + "/" + DIGEST_CACHE));
        if (!isUri(c.image())) {
            lines.add("[ -e \"$hpc_image\" ] || hpc_env_fail \"--container: the image $hpc_image does not exist on $(hostname)\"");
        }
        List<String> vars = new ArrayList<>(JOB_VARIABLES);
        for (String name : envNames) if (!vars.contains(name)) vars.add(name);
        List<String[]> binds = new ArrayList<>();
        binds.add(new String[] {workdir, null});
        if (!jobDir.equals(workdir) && !jobDir.startsWith(workdir.endsWith("/") ? workdir : workdir + "/")) binds.add(new String[] {jobDir, null});
        for (String b : c.binds()) {
            int colon = b.indexOf(':');
            binds.add(colon < 0 ? new String[] {b, null} : new String[] {b.substring(0, colon), b.substring(colon + 1)});
        }
        StringBuilder w = new StringBuilder("hpc_wrap=(env");
        if (runtime == ContainerRuntime.CHARLIECLOUD) {
            // ch-run passes the host's environment through: it is cleared here. ch-run refuses to
            // start without $USER, and shares the host's /tmp (or $TMPDIR's) at /tmp: TMPDIR goes.
            w.append(" -i USER=\"${USER:-$(id -un)}\" HOME=\"$HOME\" PATH=" + CLEAN_PATH);
            for (String v : vars) w.append(' ').append(v).append("=\"${").append(v).append(":-}\"");
            w.append(" \"$hpc_runtime\" --cd=\"$HPC_JOB_DIR\")");
            lines.add(w.toString());
            // A bind's target must exist in the image; one under /tmp is there already (and ch-run
            // refuses a bind into its /tmp bind).
            lines.add("hpc_ch_bind() { case \"${2:-$1}\" in /tmp|/tmp/*) [ -z \"$2\" ] && return ;; esac;"
                    + " [ -d \"$hpc_image\" ] && [ ! -d \"$hpc_image${2:-$1}\" ] && hpc_env_fail \"--container: Charliecloud binds onto"
                    + " directories that exist in the image, and $hpc_image has no ${2:-$1}: create it in the image (mkdir), or"
                    + " bind elsewhere\"; hpc_wrap+=(--bind=\"$1${2:+:$2}\"); }");
            for (String[] b : binds) {
                lines.add("hpc_ch_bind " + NodePath.word(b[0]) + (b[1] == null ? "" : " " + NodePath.word(b[1])));
            }
            lines.add("hpc_wrap+=(\"$hpc_image\" --)");
        } else {
            for (String v : vars) w.append(' ').append(runtime.envPrefix()).append(v).append("=\"${").append(v).append(":-}\"");
            w.append(" \"$hpc_runtime\" exec --cleanenv --pwd \"$HPC_JOB_DIR\"");
            for (String[] b : binds) {
                w.append(" --bind ").append(b[1] == null ? NodePath.word(b[0]) : NodePath.word(b[0]) + ":" + NodePath.word(b[1]));
            }
            if (c.nv()) w.append(" --nv");
            w.append(" \"$hpc_image\")");
            lines.add(w.toString());
        }
        return lines;
    }

    private static List<String> guix(JobEnvironment.Guix g) {
        List<String> lines = new ArrayList<>();
        lines.add("command -v guix >/dev/null 2>&1 || hpc_env_fail \"--guix: guix is not on the PATH of $(hostname)\"");
        lines.add("[ -r " + NodePath.word(g.manifest()) + " ] || hpc_env_fail \"--guix: the manifest " + g.manifest()
                + " is not a readable file on $(hostname)\"");
        if (g.channels() == null) {
            lines.add("hpc_wrap=(guix shell -m " + NodePath.word(g.manifest()) + " --)");
        } else {
            lines.add("[ -r " + NodePath.word(g.channels()) + " ] || hpc_env_fail \"--channels: " + g.channels()
                    + " is not a readable file on $(hostname)\"");
            lines.add("hpc_wrap=(guix time-machine -C " + NodePath.word(g.channels()) + " -- shell -m " + NodePath.word(g.manifest()) + " --)");
        }
        return lines;
    }

    /**
     * Writes environment.json (environment.I.json for array task I), renamed into place whole:
     * the host, the modules the module system reports loaded ($LOADEDMODULES, Lmod and Environment
     * Modules alike), the container's runtime, image and digest, {@code guix describe}, and for a
     * Java cell the java command that runs it; the runner adds that JVM's version (as
     * {@code java -version} prints it), vendor and home when it starts (inside the wrapper).
     * <p>
     * The digest of an image file is its SHA-256; of a directory image, the SHA-256 of its manifest:
     * one line {@code TYPE MODE SIZE MTIME PATH<TAB>LINK-TARGET} per entry, sorted bytewise (this
     * changes when any entry is added, removed, resized, re-moded or rewritten, without reading
     * every file on each job; it is not a hash of the contents).
     *
     * @param java the java command for a Java cell; null for a shebang cell
     */
    public static List<String> record(JobEnvironment env, String java) {
        List<String> lines = new ArrayList<>();
        lines.add("hpc_json() { local s=$1; s=${s//\\\\/\\\\\\\\}; s=${s//\\\"/\\\\\\\"}; s=${s//$'\\n'/\\\\n}; s=${s//$'\\r'/};"
                + " s=${s//$'\\t'/\\\\t}; s=${s//[$'\\001'-$'\\037']/}; printf '\"%s\"' \"$s\"; }");
        lines.add("hpc_env_record() {");
        lines.add("  local m sep=");
        lines.add("  printf '{\\n  \"recorded\": %s,\\n  \"hostname\": %s,\\n  \"run\": %s,\\n  \"modules\": ['"
                + " \"$(hpc_json \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\")\" \"$(hpc_json \"$(hostname)\")\" \"$(hpc_json \"$hpc_run\")\"");
        lines.add("  local hpc_mods=(); IFS=: read -ra hpc_mods <<< \"${LOADEDMODULES:-}\"");
        lines.add("  for m in \"${hpc_mods[@]}\"; do [ -n \"$m\" ] && printf '%s%s' \"$sep\" \"$(hpc_json \"$m\")\" && sep=', '; done");
        lines.add("  printf ']'");
        if (env.container() != null) {
            String cmd = env.container().runtime().command();
            lines.add("  local digest= of=");
            lines.add(IMAGE_SHA256_FUNCTION);
            lines.add("  if [ -f \"$hpc_image\" ]; then digest=\"sha256:$(hpc_image_sha256 \"$hpc_image\")\"; of='image file'");
            lines.add("  elif [ -d \"$hpc_image\" ]; then digest=\"sha256:$(cd \"$hpc_image\" && find . -xdev -printf '%y %m %s %T@ %P\\t%l\\n'"
                    + " 2>/dev/null | LC_ALL=C sort | hpc_sha256 /dev/stdin)\"; of='directory manifest'; fi");
            lines.add("  printf ',\\n  \"container\": {\"runtime\": %s, \"runtimeVersion\": %s, \"image\": %s, \"digest\": %s, \"digestOf\": %s}'"
                    + " \"$(hpc_json " + cmd + ")\" \"$(hpc_json \"$(USER=\"${USER:-$(id -un)}\" \"$hpc_runtime\" --version 2>&1 | head -n 1)\")\" \"$(hpc_json \"$hpc_image\")\""
                    + " \"$(hpc_json \"$digest\")\" \"$(hpc_json \"$of\")\"");
        }
        if (env.guix() != null) {
            JobEnvironment.Guix g = env.guix();
            String describe = g.channels() == null ? "guix describe"
                    : "guix time-machine -C " + NodePath.word(g.channels()) + " -- describe";
            lines.add("  printf ',\\n  \"guix\": {\"manifest\": %s, \"channels\": %s, \"describe\": %s}' \"$(hpc_json "
                    + NodePath.word(g.manifest()) + ")\" \"$(hpc_json " + (g.channels() == null ? "''" : NodePath.word(g.channels()))
                    + ")\" \"$(hpc_json \"$(" + describe + " 2>&1)\")\"");
        }
        if (java != null) {
            // The JVM's version, vendor and home are added by the runner, which is that JVM: a
            // `java -version` here would start a second JVM on every Java job.
            lines.add("  printf ',\\n  \"java\": {\"command\": %s}' \"$(hpc_json " + ShellQuote.quote(java) + ")\"");
        }
        lines.add("  printf '\\n}\\n'");
        lines.add("}");
        String file = "\"$HPC_JOB_DIR/" + JobLayout.environment(null).replace(".json", "") + "${hpc_suffix}.json\"";
        lines.add("hpc_env_record > \"$HPC_JOB_DIR/.environment$hpc_suffix.$$\" && mv -f \"$HPC_JOB_DIR/.environment$hpc_suffix.$$\" " + file);
        return lines;
    }

    /** The java command for a Java cell: the image's own in a container, the Guix profile's in a Guix shell. */
    public static String java(String profileJava, JobEnvironment env) {
        if (env.container() != null) return env.container().java();
        if (env.guix() != null) return "java";
        return profileJava;
    }

    /** An image the runtime pulls (docker://, oras://, library://…) rather than a file or directory on the cluster. */
    public static boolean isUri(String image) {
        return image.matches("[a-z][a-z0-9+-]*://.*");
    }

    public static List<String> jobVariables() {
        return JOB_VARIABLES;
    }
}
