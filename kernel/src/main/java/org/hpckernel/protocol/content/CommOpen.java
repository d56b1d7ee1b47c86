package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;

public record CommOpen(@SerializedName("comm_id") String commId, @SerializedName("target_name") String targetName) {}
