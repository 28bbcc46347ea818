package dev.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.Https;
import dev.realtime.support.RawHttp;
import dev.realtime.support.TestCertificate;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native TLS ({@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}): HTTPS and WSS on the service's port with a certificate made
 * on the spot, the handshake's refusals over TLS, {@code TLS_PORT} keeping plain HTTP on {@code PORT}, a renewed
 * certificate served to the next connection while open sessions go on, and a bad certificate stopping the start.
 */
@Timeout(60)
class TlsTest {
    @TempDir
    Path certs;

    @Test
    void httpsLoginAndWssEchoWorkOnTheServicesPortWithStrictTransportSecurity() {
        TestCertificate certificate = TestCertificate.create("realtime-test");
        certificate.writeTo(certs);
        try (TestServer server = TestServer.start(tlsEnv(Map.of()))) {
            SSLContext trust = certificate.trustingClient();
            var login = Https.login(trust, server.port(), "alice");
            JsonNode body = Contract.assertHttp("POST", "/login", 200, login.headers(), login.body());
            assertTrue(login.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));

            try (WsClient client = WsClient.connect(wss(server.port(), "/?token=" + body.get("token").asText()), trust)) {
                assertEquals("alice", client.next("welcome").get("user").asText());
                client.send("{\"type\":\"echo\",\"id\":\"1\",\"payload\":{\"text\":\"olá\"}}");
                assertEquals("olá", client.next("echo").at("/payload/text").asText());
            }
        }
    }

    @Test
    void overTlsTheHandshakeStillRefusesNoTokenWith401AndAForeignOriginWith403() {
        TestCertificate certificate = TestCertificate.create("realtime-test");
        certificate.writeTo(certs);
        try (TestServer server = TestServer.start(tlsEnv(Map.of()))) {
            SSLContext trust = certificate.trustingClient();
            int port = server.port();
            String token = Contract.parseJson(Https.login(trust, port, "alice").body()).get("token").asText();

            Https.assertUpgradeRefused(trust, port, "/", Map.of(), 401, "missing_token");
            Https.assertUpgradeRefused(trust, port, "/?token=" + token, Map.of("Origin", "https://evil.example"), 403, "origin_not_allowed");
            // The service's own origin is https here; the same host and port over http is another origin.
            var own = RawHttp.upgrade(trust.getSocketFactory(), port, "/?token=" + token, Map.of("Origin", "https://127.0.0.1:" + port));
            assertEquals(101, own.status(), own.body());
            Https.assertUpgradeRefused(trust, port, "/?token=" + token, Map.of("Origin", "http://127.0.0.1:" + port),
                                       403, "origin_not_allowed");
        }
    }

    @Test
    void withTlsPortPlainHttpStaysOnPortAndTheSameServiceIsOnTlsPort() {
        TestCertificate certificate = TestCertificate.create("realtime-test");
        certificate.writeTo(certs);
        try (TestServer server = TestServer.start(tlsEnv(Map.of("TLS_PORT", "0")))) {
            SSLContext trust = certificate.trustingClient();
            var plain = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(server.http("/observe/health")).GET().build());
            assertEquals(204, plain.statusCode(), "a health probe over plain HTTP");
            assertEquals(200, Https.login(trust, server.tlsPort(), "alice").statusCode());
            String token = Contract.parseJson(send(HttpClient.newHttpClient(), loginRequest(server.http("/login"), "bob")).body())
                    .get("token").asText();
            try (WsClient secure = WsClient.connect(wss(server.tlsPort(), "/?token=" + token), trust);
                 WsClient plainWs = WsClient.connect(server.ws("/?token=" + token))) {
                secure.next("welcome");
                plainWs.next("welcome");
                secure.send("{\"type\":\"direct\",\"id\":\"d1\",\"to\":\"bob\",\"payload\":1}");
                plainWs.next("direct"); // one service, two sockets: the same sessions
            }
            var tlsHealth = send(HttpClient.newBuilder().sslContext(trust).build(),
                                 HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.tlsPort() + "/observe/health")).GET().build());
            assertEquals(204, tlsHealth.statusCode());
        }
    }

    @Test
    void aCertificateSwappedOnDiskIsServedToTheNextConnectionWhileAnOpenSessionGoesOn() {
        TestCertificate first = TestCertificate.create("first");
        TestCertificate renewed = TestCertificate.create("renewed");
        first.writeTo(certs);
        try (TestServer server = TestServer.start(tlsEnv(Map.of("TLS_RELOAD_CHECK_SECONDS", "1")))) {
            int port = server.port();
            String token = Contract.parseJson(Https.login(first.trustingClient(), port, "alice").body()).get("token").asText();
            try (WsClient open = WsClient.connect(wss(port, "/?token=" + token), TestCertificate.trusting(first, renewed))) {
                open.next("welcome");
                assertEquals(first.certificate().getSerialNumber(), servedSerial(port, first, renewed));

                renewed.writeTo(certs);
                Await.until(() -> renewed.certificate().getSerialNumber().equals(servedSerial(port, first, renewed)),
                            () -> "the renewed certificate is served to new connections");
                assertEquals(200, Https.login(renewed.trustingClient(), port, "bob").statusCode());

                open.send("{\"type\":\"echo\",\"id\":\"after-swap\",\"payload\":1}");
                assertEquals("after-swap", open.next("echo").get("id").asText(), "the session opened before the swap goes on");
            }
        }
    }

    @Test
    void aCertificateFileThatDoesNotExistStopsTheStartNamingIt() {
        TestCertificate.create("realtime-test").writeTo(certs);
        var failure = assertThrows(IllegalStateException.class, () -> TestServer.start(
                Map.of("TLS_CERT_FILE", certs.resolve("missing.pem").toString(), "TLS_KEY_FILE", certs.resolve("key.pem").toString())));
        assertTrue(failure.getMessage().contains("TLS_CERT_FILE " + certs.resolve("missing.pem")), failure.getMessage());
        assertTrue(failure.getMessage().contains("cannot be read"), failure.getMessage());
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateStopsTheStartSayingSo() throws IOException {
        TestCertificate.create("realtime-test").writeTo(certs);
        Files.writeString(certs.resolve("key.pem"), TestCertificate.create("someone-else").keyPem());
        var failure = assertThrows(IllegalStateException.class, () -> TestServer.start(tlsEnv(Map.of())));
        assertTrue(failure.getMessage().contains("is not the private key of the certificate"), failure.getMessage());
    }

    @Test
    void aFileThatIsNotPemStopsTheStartSayingSo() throws IOException {
        TestCertificate.create("realtime-test").writeTo(certs);
        Files.writeString(certs.resolve("cert.pem"), "not a certificate\n");
        var failure = assertThrows(IllegalStateException.class, () -> TestServer.start(tlsEnv(Map.of())));
        assertTrue(failure.getMessage().contains("TLS_CERT_FILE"), failure.getMessage());
    }

    @Test
    void aCertificateWithoutItsKeyStopsTheStartSayingSo() {
        TestCertificate.create("realtime-test").writeTo(certs);
        var failure = assertThrows(IllegalStateException.class,
                                   () -> TestServer.start(Map.of("TLS_CERT_FILE", certs.resolve("cert.pem").toString())));
        assertTrue(failure.getMessage().contains("needs both TLS_CERT_FILE"), failure.getMessage());
    }

    private Map<String, String> tlsEnv(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("TLS_CERT_FILE", certs.resolve("cert.pem").toString());
        env.put("TLS_KEY_FILE", certs.resolve("key.pem").toString());
        return env;
    }

    private static URI wss(int port, String pathAndQuery) {
        return URI.create("wss://127.0.0.1:" + port + pathAndQuery);
    }

    private static HttpRequest loginRequest(URI uri, String user) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}"))
                .build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try (client) {
            return Http.send(client, request);
        }
    }

    /** The serial number of the certificate a brand-new TLS connection is shown (no session to resume). */
    private static BigInteger servedSerial(int port, TestCertificate... trusted) {
        try (SSLSocket socket = (SSLSocket) TestCertificate.trusting(trusted).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
