package dev.realtime.ws;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

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
