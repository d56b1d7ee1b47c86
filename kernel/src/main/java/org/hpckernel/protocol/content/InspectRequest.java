package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;

public record InspectRequest(
        String code,
        @SerializedName("cursor_pos") Integer cursorPos,
        @SerializedName("detail_level") Integer detailLevel) {}
