package dev.realtime.support;

import java.time.Clock;
import java.util.Map;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import dev.realtime.RealtimeService;
import dev.realtime.ws.SessionRegistry;

/**
 * The service as {@link TestService} configures it, started by the test itself: for the tests that
 * {@code @ServerTest} cannot serve (a fresh server per test, a {@link TestClock} of the test's own, several
 * servers in one test; the README's test section lists them).
 */
public final class TestServer implements ServiceUnderTest, AutoCloseable {
    /** The address its tests write into URLs and same-origin Origin headers (TlsTest). */
    private static final String HOST = "127.0.0.1";

    private final WebServer server;
    private final RealtimeService service;

    private TestServer(Map<String, String> overrides, Clock clock) {
        WebServerConfig.Builder builder = WebServer.builder();
        this.service = TestService.configure(builder, overrides, clock);
        this.server = builder.host(HOST).build().start();
    }

    /** The service as {@link TestService} configures it. */
    public static TestServer start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with extra or replaced environment variables. */
    public static TestServer start(Map<String, String> overrides) {
        return start(overrides, Clock.systemUTC());
    }

    /** As {@link #start(Map)}, measuring token lifetimes and lockouts by {@code clock} (a {@link TestClock}). */
    public static TestServer start(Map<String, String> overrides, Clock clock) {
        return new TestServer(overrides, clock);
    }

    @Override
    public String host() {
        return HOST;
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
