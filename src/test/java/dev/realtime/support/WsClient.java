package dev.realtime.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real WebSocket client (the JDK's). Every message it receives is checked against asyncapi.yaml
 * before a test sees it; every close code against the documented ones.
 */
public final class WsClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Messages, or the AssertionError of one that broke the contract (thrown to the test by next()). */
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private final WebSocket socket;

    private WsClient(URI uri, Map<String, String> headers, HttpClient client) {
        var builder = client.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static WsClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    public static WsClient connect(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers, HttpClient.newHttpClient());
    }

    /** A {@code wss://} connection that trusts what {@code tls} trusts (a test certificate). */
    public static WsClient connect(URI uri, SSLContext tls) {
        return new WsClient(uri, Map.of(), HttpClient.newBuilder().sslContext(tls).build());
    }

    /** The next message, already validated against the contract. */
    public JsonNode next() {
        try {
            Object item = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                fail("No message within " + WAIT + (closeCode.isDone() ? "; connection closed" : ""));
            }
            if (item instanceof AssertionError violation) {
                throw violation;
            }
            return (JsonNode) item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message, which must be of this type. */
    public JsonNode next(String type) {
        JsonNode message = next();
        assertEquals(type, message.path("type").asText(), "message type; message: " + message);
        return message;
    }

    /** Sends a message the contract allows clients to send. */
    public WsClient send(String json) {
        Contract.assertClientMessage(json);
        return sendRaw(json);
    }

    /** Sends any text, valid or not. */
    public WsClient sendRaw(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public WsClient sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
        return this;
    }

    public WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** Waits for the server to close the connection; the code must be a documented one. */
    public int awaitClose() {
        int code = closeCode.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        Contract.assertDocumentedCloseCode(code);
        return code;
    }

    /** The reason of the server's close frame, once {@link #awaitClose} returned. */
    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /**
     * The client's side of a normal closing handshake: sends close 1000 and waits for the server's
     * close in reply (a documented code), then releases the connection.
     */
    public int closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        int code = awaitClose();
        socket.abort();
        return code;
    }

    /** Drops the TCP connection without a close frame, as a client that crashes or loses its network does. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    received.add(Contract.assertServerMessage(text));
                } catch (AssertionError violation) {
                    received.add(violation);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            received.add(new AssertionError("The server sent a binary frame; the contract has none"));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
