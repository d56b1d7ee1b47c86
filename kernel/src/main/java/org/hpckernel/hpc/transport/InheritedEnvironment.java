package org.hpckernel.hpc.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment that commands run on this machine (sbatch, qsub, ps, a local job) inherit from
 * the kernel. A scheduler passes the submitting environment on into the job (sbatch's default
 * --export=ALL, qsub -V), and a local job is a child process, so whatever passes here reaches the
 * job: only an allow-list does, and the kernel's own secrets never.
 *
 * <p>Allowed: what a shell and the scheduler clients need (PATH, HOME, USER, LOGNAME, SHELL, LANG,
 * LANGUAGE, LC_*, TZ, TMPDIR, TERM, JAVA_HOME, LD_LIBRARY_PATH, MODULEPATH, MODULESHOME) and the
 * schedulers' own settings (SLURM_*, SBATCH_*, SGE_*, PBS_*, LSF_*, OAR_*), plus names listed in
 * {@value #PASS_ENV} (comma-separated). Never allowed, whatever the lists say: JPY_*, JUPYTER*,
 * and any name containing TOKEN, SECRET, PASSWORD, PASSWD or API_KEY (the kernel's Jupyter
 * secrets, JUPYTERHUB_API_TOKEN among them). A job gets other values through {@code --env} or the
 * profile's {@code env}, which job.sh exports itself.
 */
public final class InheritedEnvironment {
    public static final String PASS_ENV = "HPC_KERNEL_PASS_ENV";

    private static final List<String> NAMES = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "TZ", "TMPDIR", "TERM", "JAVA_HOME", "LD_LIBRARY_PATH", "MODULEPATH", "MODULESHOME");
    private static final List<String> PREFIXES = List.of("LC_", "SLURM_", "SBATCH_", "SGE_", "PBS_", "LSF_", "OAR_");
    private static final List<String> SECRET_PREFIXES = List.of("JPY_", "JUPYTER");
    private static final List<String> SECRET_WORDS = List.of("TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY");

    private InheritedEnvironment() {}

    /** The subset of {@code env} that a command may inherit. */
    public static Map<String, String> filter(Map<String, String> env) {
        List<String> extra = new ArrayList<>();
        String pass = env.get(PASS_ENV);
        if (pass != null) {
            for (String n : pass.split(",")) if (!n.isBlank()) extra.add(n.strip());
        }
        Map<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!isSecret(name) && (allowed(name) || extra.contains(name))) kept.put(name, e.getValue());
        }
        return kept;
    }

    public static boolean isSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String p : SECRET_PREFIXES) if (upper.startsWith(p)) return true;
        for (String w : SECRET_WORDS) if (upper.contains(w)) return true;
        return false;
    }

    private static boolean allowed(String name) {
        if (NAMES.contains(name)) return true;
        for (String p : PREFIXES) if (name.startsWith(p)) return true;
        return false;
    }

    /** Replaces the environment a ProcessBuilder would inherit by the allowed part of it. */
    public static ProcessBuilder apply(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        Map<String, String> kept = filter(env);
        env.clear();
        env.putAll(kept);
        return builder;
    }
}
