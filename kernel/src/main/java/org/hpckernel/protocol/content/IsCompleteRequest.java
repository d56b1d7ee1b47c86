package org.hpckernel.protocol.content;

public record IsCompleteRequest(String code) {}
