package dev.realtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.images.builder.Transferable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.Https;
import dev.realtime.support.TestCertificate;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image with a certificate directory, as the README's TLS variant mounts one: HTTPS and WSS on
 * {@code TLS_PORT}, plain HTTP kept on {@code PORT} for the image's HEALTHCHECK; and a key that does not fit its
 * certificate stops the container with one clear line.
 */
class ImageTlsIT {
    private static final int TLS_PORT = 3443;

    @TempDir
    Path certs;

    @Test
    void theImageServesHttpsLoginWssEchoAndTheHandshakeRefusalsFromACertDirectory() {
        TestCertificate certificate = TestCertificate.create("realtime-image");
        // Copied in rather than bind-mounted: Testcontainers checks a bind mount with a helper image (alpine), which
        // cannot be pulled here and costs minutes of retries. The mount itself is what the next test does.
        try (ImageUnderTest image = ImageUnderTest.startNew(tlsEnv(), container -> container
                .withCopyToContainer(Transferable.of(certificate.certificatePem(), 0644), "/certs/cert.pem")
                .withCopyToContainer(Transferable.of(certificate.keyPem(), 0644), "/certs/key.pem")
                .addExposedPort(TLS_PORT))) {
            int port = image.container().getMappedPort(TLS_PORT);
            SSLContext trust = certificate.trustingClient();
            HttpResponse<String> login = Https.login(trust, port, "alice");
            JsonNode body = Contract.assertHttp("POST", "/login", 200, login.headers(), login.body());
            String token = body.get("token").asText();

            try (WsClient client = WsClient.connect(URI.create("wss://127.0.0.1:" + port + "/?token=" + token), trust)) {
                client.next("welcome");
                client.send("{\"type\":\"echo\",\"id\":\"1\",\"payload\":\"over wss\"}");
                assertEquals("over wss", client.next("echo").get("payload").asText());
            }
            Https.assertUpgradeRefused(trust, port, "/", Map.of(), 401, "missing_token");
            Https.assertUpgradeRefused(trust, port, "/?token=" + token, Map.of("Origin", "https://evil.example"), 403, "origin_not_allowed");
        }
    }

    @Test
    void aKeyThatDoesNotFitTheCertificateStopsTheContainerWithOneClearLine() throws IOException, InterruptedException {
        mount(TestCertificate.create("realtime-image"));
        write(certs.resolve("key.pem"), TestCertificate.create("someone-else").keyPem());
        // The docker CLI (the build uses it too): it reports the exit code and the whole output of a container that stops.
        List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "-v", certs + ":/certs:ro"));
        tlsEnv().forEach((name, value) -> command.addAll(List.of("-e", name + "=" + value)));
        command.add(ImageUnderTest.IMAGE);
        Process container = new ProcessBuilder(command).redirectErrorStream(true).start();
        String logs = new String(container.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(container.waitFor(60, TimeUnit.SECONDS), "the container stops by itself");
        assertEquals(1, container.exitValue(), logs);
        assertTrue(logs.contains("realtime-service cannot start: TLS_KEY_FILE /certs/key.pem is not the private key"), logs);
        assertFalse(logs.contains("\tat "), "no stack trace: " + logs);
    }

    private static Map<String, String> tlsEnv() {
        return Map.of("TLS_CERT_FILE", "/certs/cert.pem", "TLS_KEY_FILE", "/certs/key.pem", "TLS_PORT", String.valueOf(TLS_PORT));
    }

    /** Readable by the image's user, as a mounted secret is. */
    private void mount(TestCertificate certificate) {
        try {
            Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(certs.resolve("cert.pem"), certificate.certificatePem());
        write(certs.resolve("key.pem"), certificate.keyPem());
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
