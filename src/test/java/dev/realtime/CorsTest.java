package dev.realtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestServer;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS for the HTTP API (openapi.yaml {@code loginPreflight}): only the origins of {@code CORS_ORIGIN}. */
@ServerTest
@Timeout(60)
class CorsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String FOREIGN_ORIGIN = "https://evil.example";

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    CorsTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void aPreflightFromAnAllowedOriginIs200AndAllowsPostFromThatOrigin() {
        var response = preflight(server, TestService.ALLOWED_ORIGIN);
        Contract.assertHttp("OPTIONS", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertEquals(TestService.ALLOWED_ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(allowedMethods(response).contains("POST"), "allow-methods: " + response.headers().map());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                           .toLowerCase(Locale.ROOT).contains("content-type"),
                   "allow-headers: " + response.headers().map());
    }

    @Test
    void aPreflightFromAForeignOriginIs403() {
        var response = preflight(server, FOREIGN_ORIGIN);
        Contract.assertHttp("OPTIONS", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(403, response.statusCode());
        assertEquals("", response.body(), "openapi.yaml: the preflight's 403 body is empty");
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no allow-origin for a foreign origin");
    }

    @Test
    void aPreflightForAMethodThatIsNotAllowedIs403() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/login"))
                                         .timeout(TIMEOUT)
                                         .header("Origin", TestService.ALLOWED_ORIGIN)
                                         .header("Access-Control-Request-Method", "DELETE")
                                         .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                         .build());
        Contract.assertHttp("OPTIONS", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(403, response.statusCode());
    }

    @Test
    void aPlainOptionsThatIsNoPreflightIs405NotAServerError() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/login"))
                                         .timeout(TIMEOUT)
                                         .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                         .build());
        // Not a preflight, so just a method /login does not have: its 405 is documented on POST /login.
        var problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 405, "method_not_allowed");
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void aPlainOptionsOnAnUnknownPathIs404NotAServerError() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/no/such/thing"))
                                         .timeout(TIMEOUT)
                                         .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                         .build());
        // openapi.yaml has no operation for an unknown path: check what assertHttp would.
        assertEquals(404, response.statusCode(), response.body());
        Contract.assertSecurityHeaders(response.headers());
        Contract.assertNoServerHeader(response.headers());
        Contract.assertProblem(Contract.parseJson(response.body()), 404, "not_found");
    }

    @Test
    void aPostFromAnAllowedOriginCarriesAccessControlAllowOrigin() {
        var response = login(server, TestService.ALLOWED_ORIGIN);
        Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertEquals(TestService.ALLOWED_ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    @Test
    void aPostFromAForeignOriginIs403OriginNotAllowed() {
        var response = login(server, FOREIGN_ORIGIN);
        var problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 403, "origin_not_allowed");
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no allow-origin for a foreign origin");
    }

    @Test
    void aGetOfTheContractFromAForeignOriginIs403OriginNotAllowed() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/openapi"))
                                         .timeout(TIMEOUT)
                                         .header("Origin", FOREIGN_ORIGIN)
                                         .GET()
                                         .build());
        var problem = Contract.assertHttp("GET", "/openapi", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 403, "origin_not_allowed");
    }

    @ParameterizedTest
    @CsvSource({"/console, /console", "/docs, /docs", "/docs/, /docs/", "/docs/http.html, /docs/{file}",
                "/observe/metrics, /observe/metrics", "/observe/health, /observe/health",
                "/observe/health/live, /observe/health/live", "/observe/health/ready, /observe/health/ready"})
    void aGetOfAPageOrProbeFromAForeignOriginIs403OriginNotAllowed(String path, String template) {
        var response = Http.send(HttpRequest.newBuilder(server.http(path))
                                         .timeout(TIMEOUT)
                                         .header("Origin", FOREIGN_ORIGIN)
                                         .GET()
                                         .build());
        var problem = Contract.assertHttp("GET", template, response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 403, "origin_not_allowed");
    }

    @Test
    void aPostWhoseOriginIsTheServerItselfIsNotCrossOriginAndSucceeds() {
        var response = login(server, "http://" + server.host() + ":" + server.port());
        Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void withCorsOriginStarAPreflightFromAnyOriginIsAccepted() {
        try (TestServer open = TestServer.start(Map.of("CORS_ORIGIN", "*"))) {
            for (String origin : new String[] {FOREIGN_ORIGIN, "http://localhost:5173"}) {
                var response = preflight(open, origin);
                Contract.assertHttp("OPTIONS", "/login", response.statusCode(), response.headers(), response.body());
                assertEquals(200, response.statusCode(), origin);
                assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isPresent(), origin);
            }
            var post = login(open, FOREIGN_ORIGIN);
            Contract.assertHttp("POST", "/login", post.statusCode(), post.headers(), post.body());
            assertEquals(200, post.statusCode(), post.body());
        }
    }

    @Test
    void aCommaSeparatedCorsOriginWithSpacesAllowsEachOriginAndNoOther() {
        try (TestServer two = TestServer.start(Map.of("CORS_ORIGIN", "http://a.test, http://b.test"))) {
            for (String origin : new String[] {"http://a.test", "http://b.test"}) {
                var response = preflight(two, origin);
                Contract.assertHttp("OPTIONS", "/login", response.statusCode(), response.headers(), response.body());
                assertEquals(200, response.statusCode(), origin);
                assertEquals(origin, response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            }
            var other = preflight(two, TestService.ALLOWED_ORIGIN);
            Contract.assertHttp("OPTIONS", "/login", other.statusCode(), other.headers(), other.body());
            assertEquals(403, other.statusCode(), "an origin no longer listed is refused");
        }
    }

    private static HttpResponse<String> preflight(ServiceUnderTest target, String origin) {
        return Http.send(HttpRequest.newBuilder(target.http("/login"))
                                 .timeout(TIMEOUT)
                                 .header("Origin", origin)
                                 .header("Access-Control-Request-Method", "POST")
                                 .header("Access-Control-Request-Headers", "content-type")
                                 .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                 .build());
    }

    private static HttpResponse<String> login(ServiceUnderTest target, String origin) {
        return Http.send(HttpRequest.newBuilder(target.http("/login"))
                                 .timeout(TIMEOUT)
                                 .header("Origin", origin)
                                 .header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"demo\",\"password\":\"demo-password\"}"))
                                 .build());
    }

    private static java.util.List<String> allowedMethods(HttpResponse<String> response) {
        return response.headers().allValues("Access-Control-Allow-Methods").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .toList();
    }
}
