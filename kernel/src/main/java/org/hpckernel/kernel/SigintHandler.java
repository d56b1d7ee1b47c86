package org.hpckernel.kernel;

import org.hpckernel.util.Log;

/**
 * SIGINT interrupts the running cell, as for every kernel whose frontend uses signals (the
 * kernelspec says interrupt_mode "message", but a terminal user or an old client may still send
 * the signal). Without this the JVM would exit on SIGINT.
 */
final class SigintHandler {
    private SigintHandler() {}

    @SuppressWarnings("restriction")
    static void install(Runnable interrupt) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupt.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Log.warn("SIGINT cannot interrupt cells on this platform: %s", e.getMessage());
        }
    }
}
