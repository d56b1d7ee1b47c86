package org.hpckernel.hpc.transport;

/**
 * What {@code stat} says about a path on the cluster side: enough to judge whether another user
 * could have put it there or could change it.
 *
 * @param mode the permission bits with setuid/setgid/sticky ({@code 07777})
 */
public record FileInfo(Type type, int uid, int mode, long size) {
    public enum Type { DIRECTORY, FILE, SYMLINK, OTHER }

    public static final int STICKY = 01000;

    /** The type from st_mode's S_IFMT bits, as stat(2) and SFTP report them. */
    public static Type typeOf(int stMode) {
        return switch (stMode & 0170000) {
            case 0040000 -> Type.DIRECTORY;
            case 0100000 -> Type.FILE;
            case 0120000 -> Type.SYMLINK;
            default -> Type.OTHER;
        };
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    /** Group or others may create, rename and delete entries in it (or change it, for a file). */
    public boolean writableByOthers() {
        return (mode & 022) != 0;
    }

    public boolean sticky() {
        return (mode & STICKY) != 0;
    }

    /** The mode in octal for messages, as chmod takes it, e.g. "1777". */
    public String octalMode() {
        return String.format("%o", mode & 07777);
    }
}
