package org.hpckernel.kernel;

import org.hpckernel.protocol.Message;

/** Serves one request type; returns the reply content, or null when the type has no reply. */
@FunctionalInterface
public interface RequestHandler {
    Object handle(Message request) throws Exception;
}
