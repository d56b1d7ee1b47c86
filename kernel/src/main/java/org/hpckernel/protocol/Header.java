package org.hpckernel.protocol;

import com.google.gson.annotations.SerializedName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** A message header as on the wire (protocol 5.x). */
public record Header(
        @SerializedName("msg_id") String msgId,
        @SerializedName("session") String session,
        @SerializedName("username") String username,
        @SerializedName("date") String date,
        @SerializedName("msg_type") String msgType,
        @SerializedName("version") String version) {

    public static final String PROTOCOL_VERSION = "5.4";

    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public static Header create(String msgType, String session, String username) {
        return new Header(UUID.randomUUID().toString(), session, username,
                ISO_MICROS.format(Instant.now()), msgType, PROTOCOL_VERSION);
    }
}
