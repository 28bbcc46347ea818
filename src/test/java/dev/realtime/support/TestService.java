package dev.realtime.support;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.webserver.WebServerConfig;

import dev.realtime.RealtimeService;
import dev.realtime.config.AppConfig;

/**
 * The real service as the tests run it, configured through the same environment variables a user sets: the test
 * users (demo, alice, bob; see test-users.yaml), {@link #SECRET}, {@link #ALLOWED_ORIGIN} and the login throttles
 * lifted. A class with one server for all its tests puts it on Helidon's test server:
 * <pre>{@code
 * @ServerTest
 * class FooTest {
 *     @SetUpServer
 *     static void setup(WebServerConfig.Builder server) {
 *         TestService.configure(server, Map.of("WS_MAX_MESSAGE_BYTES", "4096"));
 *     }
 *
 *     FooTest(URI uri) {
 *         this.server = ServiceUnderTest.at(uri);
 *     }
 * }
 * }</pre>
 * A test that reads the session registry keeps what {@code configure} returns ({@code service = TestService.configure(...)}
 * in the set-up, into a static field). {@link TestServer} starts the service for the tests that cannot use
 * {@code @ServerTest} (the README says which and why).
 */
public final class TestService {
    /** The secret the test servers sign with; {@link Tokens} signs with it too. */
    public static final String SECRET = "test-signing-key-0123456789abcdef-0123456789";
    public static final String ALLOWED_ORIGIN = "http://app.example.test";
    /** Where {@code @ServerTest} serves and the URI it injects points to. */
    private static final String HOST = "localhost";

    private TestService() {
    }

    /** Puts the service on {@code server}, on a free port. Returns it, for a test that reads its session registry. */
    public static RealtimeService configure(WebServerConfig.Builder server) {
        return configure(server, Map.of());
    }

    /**
     * Puts the service, with {@code overrides} replacing or adding environment variables, on {@code server}: on
     * {@code PORT} if given, else on a free port. Returns the service, for a test that reads its session registry.
     */
    public static RealtimeService configure(WebServerConfig.Builder server, Map<String, String> overrides) {
        return configure(server, overrides, Clock.systemUTC());
    }

    /** As {@link #configure(WebServerConfig.Builder, Map)}, measuring token lifetimes and lockouts by {@code clock}. */
    public static RealtimeService configure(WebServerConfig.Builder server, Map<String, String> overrides, Clock clock) {
        Map<String, String> env = environment(overrides);
        RealtimeService service = RealtimeService.create(AppConfig.create(env), clock);
        // @ServerTest has added the features of Helidon's service registry, a CorsFeature that allows any origin among
        // them: the service brings its own, as Main's server has only those.
        server.features(List.of());
        service.configure(server);
        // configure applies the service's server settings, application.yaml's port 3000 on 0.0.0.0 among them:
        // a free port, unless the test needs to know it up front (a browser's origin must be allowed).
        server.host(HOST).port(Integer.parseInt(env.getOrDefault("PORT", "0")));
        return service;
    }

    private static Map<String, String> environment(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("JWT_SECRET", SECRET);
        env.put("CORS_ORIGIN", ALLOWED_ORIGIN);
        env.put("CONFIG_FILE", "src/test/resources/test-users.yaml");
        // The suites log in hundreds of times from one address; the throttles get their own tests (LoginLimitsTest).
        env.put("LOGIN_ATTEMPTS_PER_MINUTE", "100000");
        env.put("LOGIN_FAILURES_BEFORE_LOCKOUT", "100000");
        env.put("LOGIN_FAILURES_PER_USER", "100000");
        env.putAll(overrides);
        return env;
    }
}
