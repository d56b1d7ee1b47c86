package org.hpckernel.maven;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A {@link TestRepository} served over HTTP on loopback. A file whose name ends with
 * {@code stallSuffix} is sent with its headers and half its body, then the server stalls until
 * {@link #close()}: a slow or hung repository, as a resolution meets it.
 */
final class HttpRepository implements AutoCloseable {
    private final HttpServer server;
    private final TestRepository repo;
    private final String stallSuffix;
    private final CountDownLatch release = new CountDownLatch(1);

    HttpRepository(TestRepository repo, String stallSuffix) throws IOException {
        this.repo = repo;
        this.stallSuffix = stallSuffix;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http-repository");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/";
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        Path file = repo.root.resolve(exchange.getRequestURI().getPath().replaceFirst("^/maven2/", ""));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (!Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, head ? -1 : body.length);
        if (head) {
            exchange.close();
            return;
        }
        OutputStream out = exchange.getResponseBody();
        if (stallSuffix != null && file.getFileName().toString().endsWith(stallSuffix)) {
            out.write(body, 0, body.length / 2);
            out.flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        out.write(body);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
