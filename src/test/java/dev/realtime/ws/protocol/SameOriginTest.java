package dev.realtime.ws.protocol;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the scheme matters: on a TLS connection the service's own pages are https, on a plain one http. */
class SameOriginTest {
    @Test
    void onATlsConnectionAnHttpsPageOfTheSameHostAndPortIsTheServiceItself() {
        assertTrue(SameOrigin.matches("https://realtime.example.test", Optional.of("realtime.example.test"), true));
        assertTrue(SameOrigin.matches("https://realtime.example.test:443", Optional.of("realtime.example.test"), true));
        assertTrue(SameOrigin.matches("https://realtime.example.test:8443", Optional.of("realtime.example.test:8443"), true));
    }

    @Test
    void onATlsConnectionAnHttpPageOfTheSameHostAndPortIsNot() {
        assertFalse(SameOrigin.matches("http://realtime.example.test", Optional.of("realtime.example.test"), true));
        assertFalse(SameOrigin.matches("http://realtime.example.test:8443", Optional.of("realtime.example.test:8443"), true));
    }

    @Test
    void onATlsConnectionAHostWithoutPortMeans443() {
        assertFalse(SameOrigin.matches("https://realtime.example.test:80", Optional.of("realtime.example.test"), true));
    }

    @Test
    void onAPlainConnectionAnHttpsPageIsNotTheServiceItself() {
        assertTrue(SameOrigin.matches("http://realtime.example.test:3000", Optional.of("realtime.example.test:3000"), false));
        assertFalse(SameOrigin.matches("https://realtime.example.test:3000", Optional.of("realtime.example.test:3000"), false));
    }

    @Test
    void withoutAHostHeaderNothingIsTheServiceItself() {
        assertFalse(SameOrigin.matches("http://realtime.example.test", Optional.empty(), false));
    }
}
