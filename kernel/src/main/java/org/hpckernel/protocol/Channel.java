package org.hpckernel.protocol;

/** The kernel's sockets. Heartbeat is not here: it never carries messages. */
public enum Channel {
    SHELL, CONTROL, STDIN, IOPUB
}
