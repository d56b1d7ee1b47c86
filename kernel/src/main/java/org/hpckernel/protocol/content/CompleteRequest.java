package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;

public record CompleteRequest(String code, @SerializedName("cursor_pos") Integer cursorPos) {}
