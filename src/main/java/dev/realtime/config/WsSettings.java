package dev.realtime.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * {@code app.ws}: limits of the WebSocket endpoint.
 *
 * @param maxMessageBytes largest message (all fragments together) a client may send; over it the
 *                        connection is closed with 1009
 * @param pingInterval    how often idle peers are pinged; one that has not answered the previous ping is dropped
 * @param drainTimeout    on shutdown, how long clients get to answer the 1001 close
 * @param outboxCapacity  messages a session may have waiting to be written; a client that lets
 *                        more pile up is a slow consumer and is closed with 1008
 * @param tokenExpiryWarning how long before its token expires a session is sent {@code token_expiring}
 */
public record WsSettings(int maxMessageBytes, Duration pingInterval, Duration drainTimeout, int outboxCapacity,
                         Duration tokenExpiryWarning) {
    /** Reads and checks {@code app.ws}. */
    public static WsSettings from(Config ws) {
        int max = Required.value(ws.get("max-message-bytes").asInt());
        if (max < 1) {
            throw new IllegalStateException("app.ws.max-message-bytes (WS_MAX_MESSAGE_BYTES) must be positive");
        }
        long ping = Required.value(ws.get("ping-interval-seconds").asLong());
        long drain = Required.value(ws.get("drain-timeout-seconds").asLong());
        if (ping < 1 || drain < 0) {
            throw new IllegalStateException("app.ws.ping-interval-seconds must be >= 1 and drain-timeout-seconds >= 0");
        }
        int outbox = Required.value(ws.get("outbound-queue-size").asInt());
        if (outbox < 1) {
            throw new IllegalStateException("app.ws.outbound-queue-size (WS_OUTBOUND_QUEUE_SIZE) must be positive");
        }
        long warning = Required.value(ws.get("token-expiry-warning-seconds").asLong());
        if (warning < 0) {
            throw new IllegalStateException("app.ws.token-expiry-warning-seconds (WS_TOKEN_EXPIRY_WARNING_SECONDS) must be >= 0");
        }
        return new WsSettings(max, Duration.ofSeconds(ping), Duration.ofSeconds(drain), outbox, Duration.ofSeconds(warning));
    }
}
