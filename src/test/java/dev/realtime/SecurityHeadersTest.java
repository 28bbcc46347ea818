package dev.realtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kind of response carries helmet's headers ({@code components/headers} in openapi.yaml) and no
 * {@code Server} header: {@link Contract#assertHttp} checks both on every response it sees.
 */
@ServerTest
@Timeout(60)
class SecurityHeadersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    SecurityHeadersTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void aSuccessfulLoginHasTheSecurityHeaders() {
        var response = postJson("{\"username\":\"demo\",\"password\":\"demo-password\"}");
        assertEquals(200, response.statusCode());
        Contract.assertHttp("POST", "/login", 200, response.headers(), response.body());
    }

    @Test
    void a401HasTheSecurityHeaders() {
        var response = postJson("{\"username\":\"demo\",\"password\":\"wrong\"}");
        JsonNode problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 401, "invalid_credentials");
    }

    @Test
    void a404OnAnUnknownPathIsANotFoundProblemWithTheSecurityHeaders() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/no/such/thing")).timeout(TIMEOUT).GET().build());
        // openapi.yaml has no operation for an unknown path, so assertHttp cannot apply: check what it would.
        assertEquals(404, response.statusCode(), response.body());
        Contract.assertSecurityHeaders(response.headers());
        Contract.assertNoServerHeader(response.headers());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        Contract.assertProblem(Contract.parseJson(response.body()), 404, "not_found");
    }

    @Test
    void a405HasTheSecurityHeaders() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/login")).timeout(TIMEOUT).GET().build());
        // The 405 of /login is documented on the operation it does have (POST).
        JsonNode problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 405, "method_not_allowed");
    }

    @Test
    void a413AnsweredBeforeRoutingHasTheSecurityHeaders() {
        var response = RawHttp.exchange(server, "POST", "/login",
                                        Map.of("Content-Type", "application/json", "Content-Length", "20000"),
                                        "{".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode problem = Contract.assertHttp("POST", "/login", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, 413, "payload_too_large");
    }

    @Test
    void a415HasTheSecurityHeaders() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/login"))
                                         .timeout(TIMEOUT)
                                         .header("Content-Type", "text/plain")
                                         .POST(HttpRequest.BodyPublishers.ofString("demo:demo-password"))
                                         .build());
        JsonNode problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 415, "unsupported_media_type");
    }

    @Test
    void a426ForAPlainGetOfTheWebSocketPathHasTheSecurityHeaders() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/")).timeout(TIMEOUT).GET().build());
        JsonNode problem = Contract.assertHttp("GET", "/", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 426, "upgrade_required");
    }

    @Test
    void thePublishedContractHasTheSecurityHeaders() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/openapi")).timeout(TIMEOUT).GET().build());
        assertEquals(200, response.statusCode());
        Contract.assertHttp("GET", "/openapi", 200, response.headers(), response.body());
    }

    private HttpResponse<String> postJson(String body) {
        return Http.send(HttpRequest.newBuilder(server.http("/login"))
                                 .timeout(TIMEOUT)
                                 .header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofString(body))
                                 .build());
    }
}
