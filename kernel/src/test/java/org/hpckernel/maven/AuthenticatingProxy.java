package org.hpckernel.maven;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * A forward HTTP proxy on loopback that demands Basic proxy authentication (407 with a
 * Proxy-Authenticate challenge otherwise) and forwards authorised requests to the origin they name.
 */
final class AuthenticatingProxy implements AutoCloseable {
    private final HttpServer server;
    private final String expected;
    private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    /** "407 GET /path" or "200 GET /path" per request, in order. */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    AuthenticatingProxy(String user, String password) throws IOException {
        expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Proxy-Authorization"))) {
            log.add("407 " + method + " " + path);
            exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"test proxy\"");
            exchange.sendResponseHeaders(407, -1);
            exchange.close();
            return;
        }
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(exchange.getRequestURI())
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            log.add(r.statusCode() + " " + method + " " + path);
            boolean empty = method.equals("HEAD") || r.body().length == 0;
            exchange.sendResponseHeaders(r.statusCode(), empty ? -1 : r.body().length);
            if (!empty) exchange.getResponseBody().write(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
