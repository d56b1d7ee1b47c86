package org.hpckernel.protocol.content;

import java.util.List;

/** The reply to a request that could not be served (bad content, unknown type). */
public record ErrorReply(String status, String ename, String evalue, List<String> traceback) {
    public static ErrorReply of(String ename, String evalue) {
        return new ErrorReply("error", ename, evalue, List.of());
    }
}
