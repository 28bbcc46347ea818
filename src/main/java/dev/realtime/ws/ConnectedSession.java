package dev.realtime.ws;

import java.time.Instant;

import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

import dev.realtime.auth.Identity;

/** One open WebSocket connection and who it belongs to. */
public record ConnectedSession(String id, Identity identity, Instant connectedAt, WsSession socket) {
    public String user() {
        return identity.user();
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
                return true; // no socket to look at: rely on the listener callbacks alone
            }
        }
        return true;
    }
}
