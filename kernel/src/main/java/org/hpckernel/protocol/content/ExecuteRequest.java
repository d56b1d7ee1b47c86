package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;

/** Boxed flags: absent means the spec's default, which is not always false. */
public record ExecuteRequest(
        String code,
        Boolean silent,
        @SerializedName("store_history") Boolean storeHistory,
        @SerializedName("allow_stdin") Boolean allowStdin,
        @SerializedName("stop_on_error") Boolean stopOnError) {

    public String codeOrEmpty() {
        return code == null ? "" : code;
    }

    public boolean isSilent() {
        return Boolean.TRUE.equals(silent);
    }

    public boolean storesHistory() {
        return !isSilent() && !Boolean.FALSE.equals(storeHistory);
    }

    public boolean allowsStdin() {
        return !Boolean.FALSE.equals(allowStdin);
    }

    public boolean stopsOnError() {
        return !Boolean.FALSE.equals(stopOnError);
    }
}
