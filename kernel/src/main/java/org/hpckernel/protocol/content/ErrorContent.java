package org.hpckernel.protocol.content;

import java.util.List;

/** The body of an IOPub {@code error} message, and the error fields of a failed reply. */
public record ErrorContent(String ename, String evalue, List<String> traceback) {}
