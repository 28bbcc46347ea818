package dev.realtime.support;

import java.net.URI;

/** Where the service runs for a test: in-process ({@link TestServer}) or as the built image ({@link ImageUnderTest}). */
public interface ServiceUnderTest {
    String host();

    int port();

    default URI http(String path) {
        return URI.create("http://" + host() + ":" + port() + path);
    }

    default URI ws(String pathAndQuery) {
        return URI.create("ws://" + host() + ":" + port() + pathAndQuery);
    }
}
