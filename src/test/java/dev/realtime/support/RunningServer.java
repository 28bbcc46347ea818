package dev.realtime.support;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.realtime.RealtimeService;
import dev.realtime.ws.SessionRegistry;

/**
 * A {@link TestServer} started for the whole class or afresh for every test:
 * {@code @RegisterExtension static final RunningServer server = RunningServer.perClass(Map.of(...));}
 * or, as an instance field, {@code RunningServer.perTest()}.
 */
public final class RunningServer implements ServiceUnderTest,
                                            BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> env;
    private final boolean perTest;
    private TestServer server;

    private RunningServer(Map<String, String> env, boolean perTest) {
        this.env = env;
        this.perTest = perTest;
    }

    public static RunningServer perClass() {
        return perClass(Map.of());
    }

    public static RunningServer perClass(Map<String, String> env) {
        return new RunningServer(env, false);
    }

    public static RunningServer perTest() {
        return perTest(Map.of());
    }

    public static RunningServer perTest(Map<String, String> env) {
        return new RunningServer(env, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            server = TestServer.start(env);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perTest) {
            server.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            server = TestServer.start(env);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            server.close();
        }
    }

    @Override
    public String host() {
        return server.host();
    }

    @Override
    public int port() {
        return server.port();
    }

    public SessionRegistry sessions() {
        return server.sessions();
    }

    public RealtimeService service() {
        return server.service();
    }
}
