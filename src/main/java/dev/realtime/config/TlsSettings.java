package dev.realtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import io.helidon.config.Config;

/**
 * {@code app.tls}: HTTPS and WSS on the service's own port, from a PEM certificate (chain) and key.
 *
 * @param certFile    PEM certificate chain, leaf first ({@code TLS_CERT_FILE}); empty: no TLS
 * @param keyFile     PEM private key of the leaf certificate ({@code TLS_KEY_FILE})
 * @param port        with TLS, a port of its own ({@code TLS_PORT}); then {@code PORT} stays plain HTTP
 * @param reloadCheck how often the two files are checked for a new certificate
 */
public record TlsSettings(Optional<Path> certFile, Optional<Path> keyFile, OptionalInt port, Duration reloadCheck) {
    /** Reads and checks {@code app.tls}. */
    public static TlsSettings from(Config tls) {
        Optional<Path> cert = tls.get("cert-file").asString().filter(s -> !s.isBlank()).map(Path::of);
        Optional<Path> key = tls.get("key-file").asString().filter(s -> !s.isBlank()).map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalStateException("TLS needs both TLS_CERT_FILE (app.tls.cert-file) and TLS_KEY_FILE "
                                                    + "(app.tls.key-file); only " + (cert.isPresent() ? "the certificate" : "the key")
                                                    + " is set");
        }
        OptionalInt port = tls.get("port").asInt().map(OptionalInt::of).orElse(OptionalInt.empty());
        if (port.isPresent() && cert.isEmpty()) {
            throw new IllegalStateException("TLS_PORT (app.tls.port) is set, but TLS_CERT_FILE and TLS_KEY_FILE are not");
        }
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalStateException("TLS_PORT (app.tls.port) must be a port number, it is " + port.getAsInt());
        }
        long reload = Required.value(tls.get("reload-check-seconds").asLong());
        if (reload < 1) {
            throw new IllegalStateException("app.tls.reload-check-seconds (TLS_RELOAD_CHECK_SECONDS) must be at least 1");
        }
        return new TlsSettings(cert, key, port, Duration.ofSeconds(reload));
    }

    /** Whether a certificate is configured. */
    public boolean enabled() {
        return certFile.isPresent();
    }
}
