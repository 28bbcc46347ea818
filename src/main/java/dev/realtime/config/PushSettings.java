package dev.realtime.config;

import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * {@code app.roles} and {@code app.push}: who may push, and the optional periodic tick.
 *
 * @param broadcastRole role a WebSocket client needs to send {@code broadcast}
 * @param publishRole   role a token needs for {@code POST /messages}
 * @param adminRole     role a token needs for {@code GET /sessions}
 * @param tickInterval  the periodic {@code tick} event's interval; empty = off (the default)
 */
public record PushSettings(String broadcastRole, String publishRole, String adminRole, Optional<Duration> tickInterval) {
    public static PushSettings from(Config app) {
        long tick = app.get("push.tick-interval-seconds").asLong().orElse(0L);
        if (tick < 0) {
            throw new IllegalStateException("app.push.tick-interval-seconds (TICK_INTERVAL_SECONDS) must be >= 0");
        }
        return new PushSettings(app.get("roles.broadcast").asString().orElse("user"),
                                app.get("roles.publish").asString().orElse("publisher"),
                                app.get("roles.admin").asString().orElse("admin"),
                                tick == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(tick)));
    }
}
