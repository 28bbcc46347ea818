package dev.realtime.ws;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

import dev.realtime.auth.Identity;

/** One open WebSocket connection, who it belongs to, and whether it answered the last ping. */
public final class ConnectedSession {
    private final String id;
    private final Identity identity;
    private final Instant connectedAt;
    private final WsSession socket;
    private final AtomicBoolean pingUnanswered = new AtomicBoolean();

    public ConnectedSession(String id, Identity identity, Instant connectedAt, WsSession socket) {
        this.id = id;
        this.identity = identity;
        this.connectedAt = connectedAt;
        this.socket = socket;
    }

    public String id() {
        return id;
    }

    public Identity identity() {
        return identity;
    }

    public String user() {
        return identity.user();
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public WsSession socket() {
        return socket;
    }

    /**
     * Whether the TCP connection under this session is still open. Helidon calls no listener method
     * when a connection ends without a close frame (client crash, network loss, idle timeout) or when
     * Helidon itself closes it (e.g. 1009 for a frame over {@code maxFrameLength}); it does close the
     * socket, and that is what this reads.
     */
    public boolean isOpen() {
        if (socket.socketContext() instanceof ConnectionContext connection) {
            try {
                return connection.serverSocket().isConnected();
            } catch (UnsupportedOperationException e) {
                return true; // no socket to look at: rely on the listener callbacks and the keepalive
            }
        }
        return true;
    }

    /** Any frame from the peer proves it is alive. */
    void markAlive() {
        pingUnanswered.set(false);
    }

    /**
     * Marks a ping as sent.
     *
     * @return false if the previous ping is still unanswered (the peer is gone or stuck)
     */
    boolean startPing() {
        return !pingUnanswered.getAndSet(true);
    }
}
