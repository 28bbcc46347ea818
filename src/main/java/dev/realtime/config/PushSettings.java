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
    /** Reads and checks {@code app.push} and the roles under {@code app}. */
    public static PushSettings from(Config app) {
        long tick = Required.value(app.get("push.tick-interval-seconds").asLong());
        if (tick < 0) {
            throw new IllegalStateException("app.push.tick-interval-seconds (TICK_INTERVAL_SECONDS) must be >= 0");
        }
        return new PushSettings(Required.value(app.get("roles.broadcast").asString()),
                                Required.value(app.get("roles.publish").asString()),
                                Required.value(app.get("roles.admin").asString()),
                                tick == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(tick)));
    }
}
