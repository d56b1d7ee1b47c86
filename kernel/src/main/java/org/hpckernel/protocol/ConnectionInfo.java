package org.hpckernel.protocol;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The connection file Jupyter hands a kernel: where to bind and how to sign. */
public record ConnectionInfo(
        String transport,
        String ip,
        int shellPort,
        int iopubPort,
        int stdinPort,
        int controlPort,
        int hbPort,
        String key,
        String signatureScheme) {

    public static ConnectionInfo read(Path file) throws IOException {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException("connection file " + file + " is not a JSON object: " + e.getMessage(), e);
        }
        try {
            return new ConnectionInfo(
                    text(o, "transport", "tcp"),
                    text(o, "ip", "127.0.0.1"),
                    port(o, "shell_port"),
                    port(o, "iopub_port"),
                    port(o, "stdin_port"),
                    port(o, "control_port"),
                    port(o, "hb_port"),
                    text(o, "key", ""),
                    text(o, "signature_scheme", "hmac-sha256"));
        } catch (IllegalArgumentException e) {
            throw new IOException("connection file " + file + ": " + e.getMessage(), e);
        }
    }

    public String endpoint(int port) {
        return "ipc".equals(transport) ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ConnectionInfo[" + transport + "://" + ip + " shell=" + shellPort + " iopub=" + iopubPort
                + " stdin=" + stdinPort + " control=" + controlPort + " hb=" + hbPort
                + " scheme=" + signatureScheme + " key=" + (key.isEmpty() ? "none" : "<set>") + "]";
    }

    private static String text(JsonObject o, String name, String fallback) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : fallback;
    }

    private static int port(JsonObject o, String name) {
        if (!o.has(name)) throw new IllegalArgumentException("missing \"" + name + "\"");
        int p = o.get(name).getAsInt();
        if (p < 0 || p > 65535) throw new IllegalArgumentException("\"" + name + "\" is not a port: " + p);
        return p;
    }
}
