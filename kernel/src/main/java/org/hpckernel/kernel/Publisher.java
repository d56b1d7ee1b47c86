package org.hpckernel.kernel;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hpckernel.protocol.Channel;
import org.hpckernel.protocol.Header;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.SocketLoop;

/** Builds outgoing messages (replies, IOPub publications, stdin requests) in this kernel's session. */
public final class Publisher {
    private final SocketLoop sockets;
    private final String session;
    private final String username;

    public Publisher(SocketLoop sockets, String session, String username) {
        this.sockets = sockets;
        this.session = session;
        this.username = username;
    }

    /** A reply goes back to the identities the request came from, on the request's channel. */
    public void reply(Channel channel, Message request, String type, Object content) {
        sockets.send(channel, build(request.identities(), request, type, content));
    }

    public void publish(Message parent, String type, Object content) {
        byte[] topic = ("kernel." + session + "." + type).getBytes(StandardCharsets.UTF_8);
        sockets.send(Channel.IOPUB, build(List.of(topic), parent, type, content));
    }

    public void status(Message parent, String state) {
        publish(parent, "status", Map.of("execution_state", state));
    }

    /** stdin requests are routed to the identities of the shell request that asked for input. */
    public Message inputRequest(Message parent, String prompt, boolean password) {
        Message m = build(parent.identities(), parent, "input_request", Map.of("prompt", prompt, "password", password));
        sockets.send(Channel.STDIN, m);
        return m;
    }

    private Message build(List<byte[]> identities, Message parent, String type, Object content) {
        JsonObject parentHeader = parent == null ? new JsonObject() : parent.headerAsParent();
        return new Message(identities, Header.create(type, session, username), null, parentHeader,
                new JsonObject(), Message.toJson(content), List.of());
    }
}
