package org.hpckernel.protocol.content;

public record InputReply(String value) {}
