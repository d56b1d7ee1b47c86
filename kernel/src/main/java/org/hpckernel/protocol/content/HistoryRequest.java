package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;

public record HistoryRequest(
        Boolean output,
        Boolean raw,
        @SerializedName("hist_access_type") String histAccessType,
        Integer session,
        Integer start,
        Integer stop,
        Integer n,
        String pattern,
        Boolean unique) {}
