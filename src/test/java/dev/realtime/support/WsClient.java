package dev.realtime.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.verify.WsSession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real WebSocket client (the JDK's, through the verifier's {@link WsSession}). Every message it receives
 * is checked against asyncapi.yaml before a test sees it; every close code against the documented ones.
 */
public final class WsClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WsSession session;

    private WsClient(URI uri, Map<String, String> headers, HttpClient client) {
        this.session = unchecked(() -> WsSession.open(client, uri, headers));
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
        String text = unchecked(() -> {
            try {
                return session.next(WAIT);
            } catch (TimeoutException e) {
                return fail("No message within " + WAIT + (session.isClosed() ? "; connection closed" : ""));
            }
        });
        if (WsSession.BINARY.equals(text)) {
            fail("The server sent a binary frame; the contract has none");
        }
        return Contract.assertServerMessage(text);
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
        unchecked(() -> {
            session.send(text);
            return null;
        });
        return this;
    }

    public WsClient sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            String part = parts[i];
            unchecked(() -> {
                session.sendPart(part, last);
                return null;
            });
        }
        return this;
    }

    public WsClient sendBinary(byte[] bytes) {
        unchecked(() -> {
            session.sendBinary(bytes);
            return null;
        });
        return this;
    }

    /** Waits for the server to close the connection; the code must be a documented one. */
    public int awaitClose() {
        int code = unchecked(() -> {
            try {
                return session.awaitClose(WAIT);
            } catch (TimeoutException e) {
                return fail("No close within " + WAIT);
            }
        });
        Contract.assertDocumentedCloseCode(code);
        return code;
    }

    /** The reason of the server's close frame, once {@link #awaitClose} returned. */
    public String closeReason() {
        return session.closeReason();
    }

    public boolean isClosed() {
        return session.isClosed();
    }

    /**
     * The client's side of a normal closing handshake: sends close 1000 and waits for the server's
     * close in reply (a documented code), then releases the connection.
     */
    public int closeNormally() {
        unchecked(() -> {
            session.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            return null;
        });
        int code = awaitClose();
        session.close();
        return code;
    }

    /** Drops the TCP connection without a close frame, as a client that crashes or loses its network does. */
    public void abort() {
        session.close();
    }

    @Override
    public void close() {
        session.closeQuietly(WebSocket.NORMAL_CLOSURE, "bye");
    }

    @FunctionalInterface
    private interface Io<T> {
        T get() throws IOException, InterruptedException;
    }

    private static <T> T unchecked(Io<T> action) {
        try {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
