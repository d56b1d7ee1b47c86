package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Map;

public record CompleteReply(
        String status,
        List<String> matches,
        @SerializedName("cursor_start") int cursorStart,
        @SerializedName("cursor_end") int cursorEnd,
        Map<String, Object> metadata) {}
