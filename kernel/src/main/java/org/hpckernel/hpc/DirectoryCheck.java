package org.hpckernel.hpc;

import java.util.Optional;
import org.hpckernel.hpc.transport.FileInfo;
import org.hpckernel.hpc.transport.ShellQuote;

/**
 * Whether a directory the kernel keeps jobs or the runner in can be trusted: it must be the user's
 * own, and nobody else may add, rename or remove entries in it (group/other write is allowed only
 * with the sticky bit, which stops others from touching entries they do not own). Otherwise another
 * user could plant a runner jar that the user's jobs run, or swap a job directory before the
 * scheduler reads its job.sh. A refusal names the exact command that fixes it.
 */
public final class DirectoryCheck {
    private DirectoryCheck() {}

    /**
     * Why {@code path} must not be used, with the fix; empty when it is fine.
     *
     * @param info what stat says ({@code lstat} for directories inside the work directory)
     * @param userId the user the kernel acts as on that side
     * @param role what the directory is for, for messages ("work directory", "runner directory")
     */
    public static Optional<String> problem(String path, FileInfo info, int userId, String role) {
        String q = ShellQuote.quote(path);
        if (info.type() == FileInfo.Type.SYMLINK) {
            return Optional.of("the " + role + " " + path + " is a symbolic link, which whoever owns it can point"
                    + " elsewhere; remove it and let the kernel create a private directory: rm " + q);
        }
        if (!info.isDirectory()) {
            return Optional.of("the " + role + " " + path + " exists and is not a directory; move it aside: mv " + q + " "
                    + ShellQuote.quote(path + ".moved"));
        }
        if (info.uid() != userId) {
            return Optional.of("the " + role + " " + path + " belongs to uid " + info.uid() + ", not to you (uid " + userId
                    + "): its owner could replace what the kernel puts there. Its owner (or root) can hand it over with: chown "
                    + userId + " " + q + "; or set \"workdir\" to a directory of your own (the kernel creates a missing one"
                    + " private, mode 0700)");
        }
        if (info.writableByOthers() && !info.sticky()) {
            return Optional.of("the " + role + " " + path + " is writable by " + writers(info.mode()) + " (mode "
                    + info.octalMode() + "), so another user could plant or swap files in it; make it yours alone: chmod go-w " + q);
        }
        return Optional.empty();
    }

    private static String writers(int mode) {
        boolean group = (mode & 020) != 0;
        boolean others = (mode & 002) != 0;
        return group && others ? "its group and all users" : group ? "its group" : "all users";
    }
}
