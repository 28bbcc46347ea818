package dev.realtime.ws;

import java.time.Instant;

import io.helidon.websocket.WsSession;

import dev.realtime.auth.Identity;

/** One open WebSocket connection and who it belongs to. */
public record ConnectedSession(String id, Identity identity, Instant connectedAt, WsSession socket) {
    public String user() {
        return identity.user();
    }
}
