package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Map;

public record ExecuteReply(
        String status,
        @SerializedName("execution_count") int executionCount,
        @SerializedName("user_expressions") Map<String, Object> userExpressions,
        List<Map<String, Object>> payload,
        String ename,
        String evalue,
        List<String> traceback) {

    public static ExecuteReply ok(int count, List<Map<String, Object>> payload) {
        return new ExecuteReply("ok", count, Map.of(), payload, null, null, null);
    }

    public static ExecuteReply error(int count, ErrorContent error) {
        return new ExecuteReply("error", count, Map.of(), List.of(), error.ename(), error.evalue(), error.traceback());
    }
}
