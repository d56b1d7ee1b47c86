package org.hpckernel.protocol.content;

public record ShutdownRequest(Boolean restart) {}
