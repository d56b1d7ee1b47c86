package org.hpckernel.protocol.content;

/** {@code indent} is only sent with status "incomplete" (null fields are dropped by the router). */
public record IsCompleteReply(String status, String indent) {}
