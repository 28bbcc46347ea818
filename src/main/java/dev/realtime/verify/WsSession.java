package dev.realtime.verify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket session through the JDK's client: whole text messages in arrival order, the server's close
 * code. What the JDK client cannot send (unmasked frames, invalid UTF-8) goes through {@link RawWebSocket}.
 * The test suite's client ({@code support/WsClient}) is this one, with assertions.
 */
public final class WsSession implements AutoCloseable {
    /** Put in the queue for a binary message: the contract has none, the check says so. */
    public static final String BINARY = "\u0000binary";

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private final WebSocket socket;

    private WsSession(HttpClient client, URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        var builder = client.newWebSocketBuilder().connectTimeout(Target.TIMEOUT);
        headers.forEach(builder::header);
        try {
            this.socket = builder.buildAsync(uri, new Listener()).get(Target.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("WebSocket upgrade failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("WebSocket upgrade not answered within " + Target.TIMEOUT);
        }
    }

    /** Opens a WebSocket to {@code uri} with extra handshake headers, collecting every message and the close. */
    public static WsSession open(HttpClient client, URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        return new WsSession(client, uri, headers);
    }

    /** The next whole message ({@link #BINARY} for a binary one). */
    public String next(Duration wait) throws InterruptedException, TimeoutException {
        String message = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new TimeoutException("no message within " + wait.toSeconds() + " s"
                                               + (closeCode.isDone() ? " (the connection is closed)" : ""));
        }
        return message;
    }

    /** Sends a text message and waits until it is written. */
    public void send(String text) throws IOException {
        join(socket.sendText(text, true));
    }

    /** One fragment of a text message; the last one has {@code last} set. */
    public void sendPart(String text, boolean last) throws IOException {
        join(socket.sendText(text, last));
    }

    /** Sends a binary message (which the service refuses with 1003). */
    public void sendBinary(byte[] bytes) throws IOException {
        join(socket.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    /** Starts the close handshake with {@code code}. */
    public void sendClose(int code, String reason) throws IOException {
        join(socket.sendClose(code, reason));
    }

    /** The code of the server's close frame. */
    public int awaitClose(Duration wait) throws IOException, InterruptedException, TimeoutException {
        try {
            return closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the connection failed before a close frame: " + e.getCause(), e.getCause());
        }
    }

    /** The reason of the server's close frame, once {@link #awaitClose} returned. */
    public String closeReason() {
        return closeReason;
    }

    /** Whether the server's close frame, or the end of the connection, has come. */
    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Sends a close frame (unless one was sent) without waiting, then drops the connection. */
    public void closeQuietly(int code, String reason) {
        if (!socket.isOutputClosed()) {
            socket.sendClose(code, reason).exceptionally(t -> null);
        }
        socket.abort();
    }

    /** Drops the TCP connection without a close frame. */
    @Override
    public void close() {
        socket.abort();
    }

    private static void join(CompletableFuture<WebSocket> sent) throws IOException {
        try {
            sent.orTimeout(Target.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            throw new IOException("sending failed: " + e.getCause(), e.getCause());
        }
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
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                received.add(BINARY);
            }
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
