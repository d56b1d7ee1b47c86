package org.hpckernel.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import org.hpckernel.util.Json;

/**
 * One Jupyter message. {@code rawHeader} is the header as received (null for ones we build). The parent header, metadata and content stay JSON trees: the parent must
 * be echoed back exactly as received, and content is read into records by whoever handles it.
 */
public record Message(
        List<byte[]> identities,
        Header header,
        JsonObject rawHeader,
        JsonObject parentHeader,
        JsonObject metadata,
        JsonObject content,
        List<byte[]> buffers) {

    /** The header as it should appear as a reply's parent: exactly as received, when received. */
    public JsonObject headerAsParent() {
        return rawHeader != null ? rawHeader : toJson(header);
    }

    public String type() {
        return header.msgType();
    }

    public String id() {
        return header.msgId();
    }

    public <T> T content(Class<T> type) {
        return Json.GSON.fromJson(content, type);
    }

    /** Content of a message we build from a record (or map). */
    public static JsonObject toJson(Object content) {
        JsonElement tree = Json.GSON.toJsonTree(content);
        return tree.isJsonObject() ? tree.getAsJsonObject() : new JsonObject();
    }
}
