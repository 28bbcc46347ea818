package dev.realtime.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * {@code app.limits} and {@code app.login}: every abuse limit, explicit and safe by default.
 *
 * @param maxConnections           open WebSockets in all; more upgrades get 503
 * @param maxConnectionsPerUser    open WebSockets per user; more get 429
 * @param messagesPerSecond        average client messages per second per session (bursts of twice that)
 * @param rateLimitStrikes         messages over the rate in a row before the session is closed with 1008
 * @param loginAttemptsPerMinute   login attempts per client address per minute
 * @param loginFailuresBeforeLockout failed logins in a row per (username, client address) before that pair is locked
 * @param loginFailuresPerUser     failed logins per username per 15 minutes over all addresses
 * @param loginMaxConcurrentHashes bcrypt verifications running at once
 * @param loginHashingWait         how long a login may wait for a hashing slot before it gets 503
 */
public record LimitSettings(int maxConnections,
                            int maxConnectionsPerUser,
                            int messagesPerSecond,
                            int rateLimitStrikes,
                            int loginAttemptsPerMinute,
                            int loginFailuresBeforeLockout,
                            int loginFailuresPerUser,
                            int loginMaxConcurrentHashes,
                            Duration loginHashingWait) {
    /** Reads and checks the limits under {@code app}. */
    public static LimitSettings from(Config app) {
        return new LimitSettings(positive(app, "limits.max-connections"),
                                 positive(app, "limits.max-connections-per-user"),
                                 positive(app, "limits.messages-per-second"),
                                 positive(app, "limits.rate-limit-strikes"),
                                 positive(app, "login.attempts-per-minute"),
                                 positive(app, "login.failures-before-lockout"),
                                 positive(app, "login.failures-per-user"),
                                 // Depends on the machine, so application.yaml cannot hold it.
                                 positive("login.max-concurrent-hashes",
                                          app.get("login.max-concurrent-hashes").asInt()
                                                  .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))),
                                 Duration.ofMillis(positive(app, "login.hashing-wait-ms")));
    }

    private static int positive(Config app, String key) {
        return positive(key, Required.value(app.get(key).asInt()));
    }

    private static int positive(String key, int value) {
        if (value < 1) {
            throw new IllegalStateException("app." + key + " must be at least 1, it is " + value);
        }
        return value;
    }
}
