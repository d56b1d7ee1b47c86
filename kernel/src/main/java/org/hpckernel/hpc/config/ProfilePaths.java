package org.hpckernel.hpc.config;

import java.util.Optional;

/**
 * Paths in a profile as users write them: absolute, or starting from the home directory as
 * {@code ~}, {@code $HOME} or {@code ${HOME}}. A remote cluster's home is known only to its login
 * node, so the profile keeps such paths as written and {@link #resolve} turns them into absolute
 * paths once per cluster, with the home the transport reports; from then on staging, SFTP, job.sh
 * and the runner all use the same absolute path. A shell would not expand {@code ~} inside quotes
 * and SFTP never does, so an unresolved {@code ~} must never leave this class.
 */
public final class ProfilePaths {
    /** For messages: the forms {@link #expand} accepts. */
    public static final String FORMS = "an absolute path, or one starting with ~/, $HOME/ or ${HOME}/";

    private static final String[] HOME_FORMS = {"~", "${HOME}", "$HOME"};

    private ProfilePaths() {}

    /** Why {@code path} cannot be resolved, or empty when it can. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isBlank()) return Optional.of("it is empty");
        if (path.startsWith("/")) return Optional.empty();
        if (homeRest(path) != null) return Optional.empty();
        if (path.startsWith("~")) {
            return Optional.of("~user is not expanded; write the absolute path of that user's directory");
        }
        if (path.startsWith("$")) {
            return Optional.of("only $HOME is expanded (the login node's environment is not the job's); write the absolute path");
        }
        return Optional.of("it is relative, and a job's current directory is its job directory; write it from / or from ~/");
    }

    /**
     * The absolute path for {@code path} on a machine whose home directory is {@code home}.
     *
     * @throws IllegalArgumentException when the path is relative or uses another user or variable, or
     *         when {@code home} is not absolute
     */
    public static String expand(String path, String home) {
        Optional<String> problem = problem(path);
        if (problem.isPresent()) throw new IllegalArgumentException("\"" + path + "\": " + problem.get() + " (" + FORMS + ")");
        String rest = homeRest(path);
        if (rest == null) return normalize(path);
        if (home == null || !home.startsWith("/")) {
            throw new IllegalArgumentException("the home directory reported for \"" + path + "\" is not absolute: \"" + home + "\"");
        }
        return normalize(home + "/" + rest);
    }

    /**
     * A {@code java} value: a bare command name ("java", found on the nodes' PATH) stays as it is;
     * anything with a slash is a path and is expanded like {@link #expand}.
     */
    public static String expandCommand(String command, String home) {
        return isCommandName(command) ? command : expand(command, home);
    }

    /** A word without a slash and not starting from the home directory: looked up on the PATH. */
    public static boolean isCommandName(String command) {
        return command != null && !command.isBlank() && command.indexOf('/') < 0 && homeRest(command) == null
                && !command.startsWith("~") && !command.startsWith("$");
    }

    /** The profile with {@code workdir} and {@code java} made absolute against {@code home}. */
    public static ClusterProfile resolve(ClusterProfile p, String home) {
        return new ClusterProfile(p.name(), p.scheduler(), expand(p.workdir(), home), expandCommand(p.java(), home),
                p.setup(), p.defaults(), p.ssh(), p.monitoring(), p.schedulerSettings(), p.caps());
    }

    /** What follows the home directory ("" for the home itself), or null when the path does not start there. */
    private static String homeRest(String path) {
        for (String form : HOME_FORMS) {
            if (path.equals(form)) return "";
            if (path.startsWith(form + "/")) return path.substring(form.length() + 1);
        }
        return null;
    }

    /** Collapses "//" and "/./", drops a trailing "/"; ".." is refused, since it hides where a path goes. */
    private static String normalize(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new IllegalArgumentException("\"" + path + "\": \"..\" is not allowed in a profile path");
            out.append('/').append(part);
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
