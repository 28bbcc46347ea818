package dev.realtime.support;

import java.net.URI;

/** Where the service runs for a test: in-process ({@link TestService}) or as the built image ({@link ImageUnderTest}). */
public interface ServiceUnderTest {
    String host();

    int port();

    /** The server at {@code uri}: what {@code @ServerTest} injects into a test's constructor. */
    static ServiceUnderTest at(URI uri) {
        return new ServiceUnderTest() {
            @Override
            public String host() {
                return uri.getHost();
            }

            @Override
            public int port() {
                return uri.getPort();
            }
        };
    }

    default URI http(String path) {
        return URI.create("http://" + host() + ":" + port() + path);
    }

    default URI ws(String pathAndQuery) {
        return URI.create("ws://" + host() + ":" + port() + pathAndQuery);
    }
}
