package dev.realtime.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The image built from this repository's Dockerfile (by the build, before the container tests;
 * the same image docker-compose.yml runs), started with the test users and signing key.
 */
public final class ImageUnderTest implements ServiceUnderTest, AutoCloseable {
    public static final String IMAGE = System.getProperty("it.image", "realtime-service:local");
    private static final int PORT = 3000;

    private static ImageUnderTest shared;

    private final GenericContainer<?> container;

    private ImageUnderTest(Map<String, String> extraEnv, Network network) {
        this(extraEnv, network, container -> { });
    }

    private ImageUnderTest(Map<String, String> extraEnv, Network network, Consumer<GenericContainer<?>> customize) {
        Map<String, String> env = new HashMap<>(Map.of("JWT_SECRET", TestService.SECRET,
                                                       "CORS_ORIGIN", TestService.ALLOWED_ORIGIN,
                                                       "CONFIG_FILE", "/config/test-users.yaml",
                                                       // every test logs in from the Docker gateway's one address
                                                       "LOGIN_ATTEMPTS_PER_MINUTE", "100000"));
        env.putAll(extraEnv);
        container = new GenericContainer<>(IMAGE)
                .withExposedPorts(PORT)
                .withEnv(env)
                .withClasspathResourceMapping("test-users.yaml", "/config/test-users.yaml", BindMode.READ_ONLY)
                .waitingFor(Wait.forHttp("/observe/health/live").forPort(PORT).forStatusCode(204)
                                    .withStartupTimeout(Duration.ofSeconds(60)));
        if (network != null) {
            container.withNetwork(network);
        }
        customize.accept(container);
        container.start();
    }

    /** A fresh container, for tests that stop it. */
    public static ImageUnderTest startNew() {
        return new ImageUnderTest(Map.of(), null);
    }

    /** A fresh container on {@code network} with more environment (e.g. an instance of a cluster). */
    public static ImageUnderTest startNew(Map<String, String> env, Network network) {
        return new ImageUnderTest(env, network);
    }

    /** A fresh container with more environment and more set up (mounts, ports) before it starts. */
    public static ImageUnderTest startNew(Map<String, String> env, Consumer<GenericContainer<?>> customize) {
        return new ImageUnderTest(env, null, customize);
    }

    /** One container shared by the read-only test classes (started once per test JVM). */
    public static synchronized ImageUnderTest shared() {
        if (shared == null) {
            shared = new ImageUnderTest(Map.of(), null);
        }
        return shared;
    }

    public GenericContainer<?> container() {
        return container;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PORT);
    }

    @Override
    public void close() {
        container.stop();
    }
}
