package dev.realtime.support;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.realtime.ws.SessionRegistry;

/**
 * A {@link TestServer} for the whole test class:
 * {@code @RegisterExtension static final ServerPerClass server = ServerPerClass.withEnv(Map.of(...));}
 */
public final class ServerPerClass implements ServiceUnderTest, BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> env;
    private TestServer server;

    private ServerPerClass(Map<String, String> env) {
        this.env = env;
    }

    public static ServerPerClass withDefaults() {
        return new ServerPerClass(Map.of());
    }

    public static ServerPerClass withEnv(Map<String, String> env) {
        return new ServerPerClass(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(env);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
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
}
