package dev.realtime.support;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.helidon.webserver.WebServer;

import dev.realtime.RealtimeService;
import dev.realtime.config.AppConfig;
import dev.realtime.ws.SessionRegistry;

/**
 * The real service (exactly {@link RealtimeService#configure}) on a free port, configured through the
 * same environment variables a user sets.
 */
public final class TestServer implements ServiceUnderTest, AutoCloseable {
    /** The secret the test servers sign with; {@link Tokens} signs with it too. */
    public static final String SECRET = "test-signing-key-0123456789abcdef-0123456789";
    public static final String ALLOWED_ORIGIN = "http://app.example.test";

    private final WebServer server;
    private final RealtimeService service;

    private TestServer(Map<String, String> env, Clock clock) {
        this.service = RealtimeService.create(AppConfig.create(env), clock);
        this.server = WebServer.builder()
                .update(service::configure)
                // A free port, unless the test needs to know it up front (a browser's origin must be allowed).
                .port(Integer.parseInt(env.getOrDefault("PORT", "0")))
                .host("127.0.0.1")
                .build()
                .start();
    }

    /** The service with the test users (demo, alice, bob; see test-users.yaml) and {@link #ALLOWED_ORIGIN}. */
    public static TestServer start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with extra or replaced environment variables. */
    public static TestServer start(Map<String, String> overrides) {
        return start(overrides, Clock.systemUTC());
    }

    /** As {@link #start(Map)}, measuring token lifetimes and lockouts by {@code clock} (a {@link TestClock}). */
    public static TestServer start(Map<String, String> overrides, Clock clock) {
        Map<String, String> env = new HashMap<>();
        env.put("JWT_SECRET", SECRET);
        env.put("CORS_ORIGIN", ALLOWED_ORIGIN);
        env.put("CONFIG_FILE", "src/test/resources/test-users.yaml");
        // The suites log in hundreds of times from 127.0.0.1; the throttles get their own tests (LimitsTest).
        env.put("LOGIN_ATTEMPTS_PER_MINUTE", "100000");
        env.put("LOGIN_FAILURES_BEFORE_LOCKOUT", "100000");
        env.put("LOGIN_FAILURES_PER_USER", "100000");
        env.putAll(overrides);
        return new TestServer(env, clock);
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return server.port();
    }

    /** With {@code TLS_PORT}, the port that serves TLS. */
    public int tlsPort() {
        return server.port(RealtimeService.TLS_SOCKET);
    }

    public SessionRegistry sessions() {
        return service.sessions();
    }

    /** The service this server runs (for its drain on shutdown). */
    public RealtimeService service() {
        return service;
    }

    @Override
    public void close() {
        server.stop();
    }
}
