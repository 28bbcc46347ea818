package dev.realtime.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import javax.net.ssl.SSLContext;

/** The service over TLS (a {@link TestCertificate}), in-process or in the image: logins and refused upgrades. */
public final class Https {
    private Https() {
    }

    /** {@code POST /login} with the test user's password, over HTTPS to 127.0.0.1:{@code port}. */
    public static HttpResponse<String> login(SSLContext trust, int port, String user) {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust).build()) {
            return Http.send(client, HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}"))
                    .build());
        }
    }

    /** A WebSocket upgrade over TLS is refused with {@code status} and the problem {@code code}, as the contract says. */
    public static void assertUpgradeRefused(SSLContext trust, int port, String pathAndQuery, Map<String, String> headers,
                                            int status, String code) {
        var response = RawHttp.upgrade(trust.getSocketFactory(), port, pathAndQuery, headers);
        Contract.assertProblem(Contract.assertHttp("GET", "/", response.status(), response.headers(), response.body()), status, code);
    }
}
