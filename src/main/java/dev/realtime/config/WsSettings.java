package dev.realtime.config;

import io.helidon.config.Config;

/**
 * {@code app.ws}: limits of the WebSocket endpoint.
 *
 * @param maxMessageBytes largest message (all fragments together) a client may send; over it the
 *                        connection is closed with 1009
 */
public record WsSettings(int maxMessageBytes) {
    public static WsSettings from(Config ws) {
        int max = ws.get("max-message-bytes").asInt().orElse(65536);
        if (max < 1) {
            throw new IllegalStateException("app.ws.max-message-bytes (WS_MAX_MESSAGE_BYTES) must be positive");
        }
        return new WsSettings(max);
    }
}
