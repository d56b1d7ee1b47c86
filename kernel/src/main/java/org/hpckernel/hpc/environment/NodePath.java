package org.hpckernel.hpc.environment;

import org.hpckernel.hpc.transport.ShellQuote;

/**
 * A validated path as the job script writes it: quoted, with a leading {@code ~/} turned into
 * {@code "$HOME"/}, since only the node knows the home directory and a quoted {@code ~} is not
 * expanded.
 */
final class NodePath {
    private NodePath() {}

    static String word(String path) {
        if (path.startsWith("~/")) return "\"$HOME\"/" + ShellQuote.quote(path.substring(2));
        return ShellQuote.quote(path);
    }
}
