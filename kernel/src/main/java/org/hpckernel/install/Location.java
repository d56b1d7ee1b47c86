package org.hpckernel.install;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which Jupyter kernel directory to use, as chosen by {@code --user}, {@code --sys-prefix} or
 * {@code --prefix DIR}.
 *
 * @param prefix only for {@link Kind#PREFIX}; null otherwise
 */
public record Location(Kind kind, Path prefix) {
    public enum Kind { USER, SYS_PREFIX, PREFIX }

    public static final Location USER = new Location(Kind.USER, null);
    public static final Location SYS_PREFIX = new Location(Kind.SYS_PREFIX, null);

    public Location {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.PREFIX) != (prefix != null)) {
            throw new IllegalArgumentException("a prefix is required for PREFIX and only for PREFIX");
        }
    }

    public static Location prefix(Path dir) {
        return new Location(Kind.PREFIX, dir.toAbsolutePath().normalize());
    }

    /** How the user would have spelled it, for messages. */
    public String flag() {
        return switch (kind) {
            case USER -> "--user";
            case SYS_PREFIX -> "--sys-prefix";
            case PREFIX -> "--prefix " + prefix;
        };
    }
}
