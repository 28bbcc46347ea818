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
 */
final class WsSession implements AutoCloseable {
    /** Put in the queue for a binary message: the contract has none, the check says so. */
    static final String BINARY = "\u0000binary";

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
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

    static WsSession open(HttpClient client, URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        return new WsSession(client, uri, headers);
    }

    /** The next whole message ({@link #BINARY} for a binary one). */
    String next(Duration wait) throws InterruptedException, TimeoutException {
        String message = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new TimeoutException("no message within " + wait.toSeconds() + " s"
                                               + (closeCode.isDone() ? " (the connection is closed)" : ""));
        }
        return message;
    }

    void send(String text) throws IOException {
        join(socket.sendText(text, true));
    }

    void sendBinary(byte[] bytes) throws IOException {
        join(socket.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    void sendClose(int code) throws IOException {
        join(socket.sendClose(code, ""));
    }

    /** The code of the server's close frame. */
    int awaitClose(Duration wait) throws IOException, InterruptedException, TimeoutException {
        try {
            return closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the connection failed before a close frame: " + e.getCause(), e.getCause());
        }
    }

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
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
