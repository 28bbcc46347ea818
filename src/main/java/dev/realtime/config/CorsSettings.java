package dev.realtime.config;

import java.util.List;

import io.helidon.config.Config;

/**
 * {@code app.cors}: the origins a browser may call us from, for HTTP (CORS) and for the WebSocket
 * upgrade (the {@code Origin} check). {@code *} allows every origin and is only ever there when configured.
 */
public record CorsSettings(List<String> allowedOrigins) {
    /** Reads {@code app.cors}. */
    public static CorsSettings from(Config cors) {
        return new CorsSettings(Required.value(cors.get("allowed-origins").asList(String.class)));
    }

    /** Whether {@code CORS_ORIGIN} is {@code *}. */
    public boolean allowsAnyOrigin() {
        return allowedOrigins.contains("*");
    }

    /** Whether a browser page from {@code origin} may call the API. */
    public boolean allows(String origin) {
        return allowsAnyOrigin() || allowedOrigins.contains(origin);
    }
}
