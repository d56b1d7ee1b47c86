package org.hpckernel.install;

import java.nio.file.Path;
import java.util.List;

/**
 * Walks a command line, accepting both {@code --flag value} and {@code --flag=value}, and collects
 * the location flags that install and uninstall share.
 */
final class Arguments {
    private final List<String> args;
    private int next;
    private String flag;
    private String inlineValue;
    private Location location;

    Arguments(List<String> args) {
        this.args = List.copyOf(args);
    }

    /** Advances to the next flag; false at the end. */
    boolean advance() throws UsageException {
        if (next >= args.size()) return false;
        String arg = args.get(next++);
        if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
        int eq = arg.indexOf('=');
        flag = eq < 0 ? arg : arg.substring(0, eq);
        inlineValue = eq < 0 ? null : arg.substring(eq + 1);
        return true;
    }

    String flag() {
        return flag;
    }

    /** The flag's value; it may start with '-' because JVM options do. */
    String value() throws UsageException {
        if (inlineValue != null) return inlineValue;
        if (next >= args.size()) throw new UsageException(flag + " needs a value");
        return args.get(next++);
    }

    void noValue() throws UsageException {
        if (inlineValue != null) throw new UsageException(flag + " takes no value (got '" + flag + "=" + inlineValue + "')");
    }

    /** Handles --user, --sys-prefix and --prefix; false if the current flag is none of them. */
    boolean takeLocation() throws UsageException {
        Location chosen;
        switch (flag) {
            case "--user" -> { noValue(); chosen = Location.USER; }
            case "--sys-prefix" -> { noValue(); chosen = Location.SYS_PREFIX; }
            case "--prefix" -> {
                String dir = value();
                if (dir.isBlank()) throw new UsageException("--prefix needs a directory");
                chosen = Location.prefix(Path.of(dir));
            }
            default -> { return false; }
        }
        if (location != null && !location.equals(chosen)) {
            throw new UsageException(location.flag() + " and " + chosen.flag() + " cannot be combined; choose one location");
        }
        location = chosen;
        return true;
    }

    Location location() {
        return location == null ? Location.USER : location;
    }

    static boolean isHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }
}
