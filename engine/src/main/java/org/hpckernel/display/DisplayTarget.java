package org.hpckernel.display;

/** Where a running cell's displays go: the kernel's IOPub, or the job's events file on a node. */
public interface DisplayTarget {
    /** A display; {@code update} means replace the display that carries {@code displayId}. */
    void display(MimeBundle bundle, String displayId, boolean update);

    void clearOutput(boolean wait);
}
