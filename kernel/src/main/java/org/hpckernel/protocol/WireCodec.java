package org.hpckernel.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hpckernel.util.Json;

/**
 * Frames to {@link Message} and back: {@code [identities…, "<IDS|MSG>", signature, header,
 * parent_header, metadata, content, buffers…]}. Sizes are checked first, then the signature
 * (in constant time), then that the signature was not seen before (a replay); only then is any
 * JSON parsed, so a forged or replayed message costs at most one HMAC and nothing else.
 */
public final class WireCodec {
    public static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private final MessageSigner signer;
    private final MessageLimits limits;
    private final SignatureHistory history;

    public WireCodec(MessageSigner signer) {
        this(signer, MessageLimits.defaults(), new SignatureHistory(SignatureHistory.DEFAULT_CAPACITY));
    }

    public WireCodec(MessageSigner signer, MessageLimits limits, SignatureHistory history) {
        this.signer = signer;
        this.limits = limits;
        this.history = history;
    }

    public MessageLimits limits() {
        return limits;
    }

    public Message decode(List<byte[]> frames) throws MalformedMessageException {
        if (frames.size() > limits.maxFrames()) {
            throw new MalformedMessageException(frames.size() + " frames, more than the " + limits.maxFrames() + " allowed");
        }
        long total = 0;
        for (byte[] f : frames) total += f.length;
        if (total > limits.maxMessageBytes()) {
            throw new MalformedMessageException(total + " bytes, more than the " + limits.maxMessageBytes() + " allowed");
        }
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) throw new MalformedMessageException("no <IDS|MSG> delimiter in " + frames.size() + " frames");
        int first = delimiter + 1;
        if (frames.size() - first < 5) {
            throw new MalformedMessageException("expected 5 frames after the delimiter, got " + (frames.size() - first));
        }
        byte[] signature = frames.get(first);
        byte[] header = frames.get(first + 1);
        byte[] parent = frames.get(first + 2);
        byte[] metadata = frames.get(first + 3);
        byte[] content = frames.get(first + 4);
        if (!signer.verify(signature, header, parent, metadata, content)) {
            throw new MalformedMessageException("bad signature");
        }
        if (signer.enabled() && !history.firstSighting(signature)) {
            throw new MalformedMessageException("replayed message (its signature was already seen)");
        }
        JsonObject headerJson = object(header, "header");
        Header h = new Header(
                requiredString(headerJson, "msg_id"),
                optionalString(headerJson, "session"),
                optionalString(headerJson, "username"),
                optionalString(headerJson, "date"),
                requiredString(headerJson, "msg_type"),
                optionalString(headerJson, "version"));
        return new Message(
                List.copyOf(frames.subList(0, delimiter)),
                h,
                headerJson,
                object(parent, "parent_header"),
                object(metadata, "metadata"),
                object(content, "content"),
                List.copyOf(frames.subList(first + 5, frames.size())));
    }

    public List<byte[]> encode(Message message) {
        byte[] header = bytes(Json.GSON.toJson(message.header()));
        byte[] parent = message.parentHeader() == null ? EMPTY_OBJECT : bytes(message.parentHeader().toString());
        byte[] metadata = message.metadata() == null ? EMPTY_OBJECT : bytes(message.metadata().toString());
        byte[] content = message.content() == null ? EMPTY_OBJECT : bytes(Json.GSON.toJson(message.content()));
        List<byte[]> frames = new ArrayList<>(message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        frames.add(bytes(signer.sign(header, parent, metadata, content)));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(message.buffers());
        return frames;
    }

    private static JsonObject object(byte[] frame, String what) throws MalformedMessageException {
        try {
            JsonElement e = JsonParser.parseString(new String(frame, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) throw new MalformedMessageException(what + " is not a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException | StackOverflowError e) {
            throw new MalformedMessageException(what + " is not valid JSON: " + e.getClass().getSimpleName());
        }
    }

    private static String requiredString(JsonObject o, String name) throws MalformedMessageException {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isEmpty()) {
            throw new MalformedMessageException("header." + name + " is missing or not a string");
        }
        return e.getAsString();
    }

    private static String optionalString(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
