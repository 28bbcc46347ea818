package dev.realtime.ws.protocol;

import io.helidon.websocket.WsSession;

/**
 * Implemented by a {@link io.helidon.websocket.WsListener} that wants to hear of every close frame the
 * server sends on its own initiative: the application's own {@link WsSession#close} calls as well as the
 * engine's protocol failures (1002, 1007, 1009), idle timeouts and server stops. Not called for the close
 * frame that answers the peer's. Called once per connection, before the close frame is written.
 */
public interface ServerCloseListener {
    void onServerClose(WsSession session, int code, String reason);
}
