package dev.realtime.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigNode.ListNode;
import io.helidon.config.spi.ConfigNode.ObjectNode;

/**
 * Builds the configuration: the short environment variables of the README's table ({@code PORT}, {@code CORS_ORIGIN}, ...)
 * first, then Helidon's usual environment mapping ({@code SERVER_PORT}, {@code APP_WS_MAX_MESSAGE_BYTES}, ...),
 * system properties, an optional file named by {@code CONFIG_FILE}, and {@code application.yaml} last.
 */
public final class AppConfig {
    /** Short environment variables and the configuration keys they set. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("PORT", "server.port"),
            Map.entry("HOST", "server.host"),
            Map.entry("JWT_SECRET", "app.auth.jwt.secret"),
            Map.entry("JWT_PREVIOUS_SECRETS", "app.auth.jwt.previous-secrets"),
            Map.entry("JWT_ISSUER", "app.auth.jwt.issuer"),
            Map.entry("TOKEN_TTL_SECONDS", "app.auth.jwt.ttl-seconds"),
            Map.entry("SESSION_MAX_LIFETIME_SECONDS", "app.auth.jwt.session-max-lifetime-seconds"),
            Map.entry("WS_TOKEN_EXPIRY_WARNING_SECONDS", "app.ws.token-expiry-warning-seconds"),
            Map.entry("WS_MAX_MESSAGE_BYTES", "app.ws.max-message-bytes"),
            Map.entry("WS_PING_INTERVAL_SECONDS", "app.ws.ping-interval-seconds"),
            Map.entry("WS_DRAIN_TIMEOUT_SECONDS", "app.ws.drain-timeout-seconds"),
            Map.entry("WS_OUTBOUND_QUEUE_SIZE", "app.ws.outbound-queue-size"),
            Map.entry("TICK_INTERVAL_SECONDS", "app.push.tick-interval-seconds"),
            Map.entry("HISTORY_SIZE", "app.history.size"),
            Map.entry("HISTORY_TTL_SECONDS", "app.history.ttl-seconds"),
            Map.entry("HISTORY_MAX_STREAMS", "app.history.max-streams"),
            Map.entry("HISTORY_MAX_BYTES", "app.history.max-bytes"),
            Map.entry("BROADCAST_ROLE", "app.roles.broadcast"),
            Map.entry("PUBLISH_ROLE", "app.roles.publish"),
            Map.entry("ADMIN_ROLE", "app.roles.admin"),
            Map.entry("MAX_CONNECTIONS", "app.limits.max-connections"),
            Map.entry("MAX_CONNECTIONS_PER_USER", "app.limits.max-connections-per-user"),
            Map.entry("WS_MESSAGES_PER_SECOND", "app.limits.messages-per-second"),
            Map.entry("WS_RATE_LIMIT_STRIKES", "app.limits.rate-limit-strikes"),
            Map.entry("LOGIN_ATTEMPTS_PER_MINUTE", "app.login.attempts-per-minute"),
            Map.entry("LOGIN_FAILURES_BEFORE_LOCKOUT", "app.login.failures-before-lockout"),
            Map.entry("LOGIN_FAILURES_PER_USER", "app.login.failures-per-user"),
            Map.entry("LOGIN_MAX_CONCURRENT_HASHES", "app.login.max-concurrent-hashes"),
            Map.entry("LOGIN_HASHING_WAIT_MS", "app.login.hashing-wait-ms"),
            Map.entry("IDLE_CONNECTION_TIMEOUT", "server.idle-connection-timeout"),
            Map.entry("REDIS_URL", "app.cluster.redis-url"),
            Map.entry("INSTANCE_ID", "app.cluster.instance-id"),
            Map.entry("CLUSTER_HEARTBEAT_SECONDS", "app.cluster.heartbeat-seconds"),
            Map.entry("IDLE_CONNECTION_PERIOD", "server.idle-connection-period"),
            Map.entry("MAX_BODY_BYTES", "server.max-payload-size"),
            Map.entry("TLS_CERT_FILE", "app.tls.cert-file"),
            Map.entry("TLS_KEY_FILE", "app.tls.key-file"),
            Map.entry("TLS_PORT", "app.tls.port"),
            Map.entry("TLS_RELOAD_CHECK_SECONDS", "app.tls.reload-check-seconds"));
    /** {@code CORS_ORIGIN} is a comma-separated list of origins (or {@code *}). */
    private static final String CORS_ORIGIN = "CORS_ORIGIN";
    private static final String CORS_ORIGINS_KEY = "app.cors.allowed-origins";
    private static final String CONFIG_FILE = "CONFIG_FILE";

    private AppConfig() {
    }

    /** The configuration of this process: application.yaml, CONFIG_FILE and its environment variables. */
    public static Config fromEnvironment() {
        return create(System.getenv());
    }

    /**
     * @param env where the short variables are read from (tests pass their own); Helidon's
     *            own mapping always reads the process environment
     */
    public static Config create(Map<String, String> env) {
        var builder = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(aliases(env)))
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties());
        String file = env.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            builder.addSource(ConfigSources.file(Path.of(file)).build());
        }
        return builder.addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }

    private static ObjectNode aliases(Map<String, String> env) {
        var values = ObjectNode.builder();
        ALIASES.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                values.addValue(key, value.trim());
            }
        });
        String origins = env.get(CORS_ORIGIN);
        if (origins != null && !origins.isBlank()) {
            // A real list node, which replaces application.yaml's list. Indexed keys (allowed-origins.0, .1)
            // would be merged into it by index, and fail at start for more entries than the file has.
            var list = ListNode.builder();
            Arrays.stream(origins.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(list::addValue);
            values.addList(CORS_ORIGINS_KEY, list.build());
        }
        return values.build();
    }
}
