package dev.realtime.image;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.RawHttp;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built image answers HTTP as openapi.yaml says: login and its errors, CORS, headers, health, the published specs and docs. */
class ImageHttpContractIT {
    private static ImageUnderTest image;

    @BeforeAll
    static void start() {
        image = ImageUnderTest.shared();
    }

    @Test
    void loginReturnsABearerToken() {
        String token = Http.login(image, "alice", "alice-password");
        assertEquals(3, token.split("\\.").length);
    }

    @Test
    void wrongPasswordIs401InvalidCredentials() {
        assertLoginProblem("{\"username\":\"alice\",\"password\":\"nope\"}", 401, "invalid_credentials");
    }

    @Test
    void unknownUserIs401InvalidCredentials() {
        assertLoginProblem("{\"username\":\"mallory\",\"password\":\"nope\"}", 401, "invalid_credentials");
    }

    @Test
    void malformedJsonIs400() {
        assertLoginProblem("{\"username\":", 400, "malformed_json");
    }

    @Test
    void missingFieldsAre400() {
        assertLoginProblem("{\"username\":\"alice\"}", 400, "validation_failed");
    }

    @Test
    void wrongContentTypeIs415() {
        var response = Http.send(HttpRequest.newBuilder(image.http("/login"))
                                         .header("Content-Type", "text/plain")
                                         .POST(HttpRequest.BodyPublishers.ofString("alice:alice-password")).build());
        Contract.assertProblem(Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body()),
                               415, "unsupported_media_type");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        var response = RawHttp.exchange(image, "POST", "/login",
                                        Map.of("Content-Type", "application/json", "Content-Length", "20000"),
                                        new byte[20000]);
        Contract.assertProblem(Contract.assertHttp("POST", "/login", response.status(), response.headers(), response.body()),
                               413, "payload_too_large");
    }

    @Test
    void getOnLoginIs405() {
        var response = Http.send(HttpRequest.newBuilder(image.http("/login")).GET().build());
        Contract.assertProblem(Contract.assertHttp("GET", "/login", response.statusCode(), response.headers(), response.body()),
                               405, "method_not_allowed");
    }

    @Test
    void corsPreflightForLoginFromAnAllowedOriginSucceeds() {
        var response = RawHttp.exchange(image, "OPTIONS", "/login",
                                        Map.of("Origin", TestService.ALLOWED_ORIGIN,
                                               "Access-Control-Request-Method", "POST",
                                               "Access-Control-Request-Headers", "content-type"), null);
        Contract.assertHttp("OPTIONS", "/login", response.status(), response.headers(), response.body());
        assertEquals(200, response.status());
        assertEquals(TestService.ALLOWED_ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    @Test
    void corsPreflightFromAForeignOriginIsRefused() {
        var response = RawHttp.exchange(image, "OPTIONS", "/login",
                                        Map.of("Origin", "https://evil.example",
                                               "Access-Control-Request-Method", "POST"), null);
        assertEquals(403, response.status());
        assertFalse(response.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    @Test
    void readinessIsUp() {
        var response = Http.send(HttpRequest.newBuilder(image.http("/observe/health/ready")).GET().build());
        Contract.assertHttp("GET", "/observe/health/ready", response.statusCode(), response.headers(), response.body());
        assertEquals(204, response.statusCode());
    }

    @Test
    void thePublishedSpecsAreTheFilesInApiSpecs() throws Exception {
        for (var spec : Map.of("/openapi", Contract.OPENAPI_FILE, "/asyncapi", Contract.ASYNCAPI_FILE).entrySet()) {
            var response = Http.send(HttpRequest.newBuilder(image.http(spec.getKey())).GET().build());
            Contract.assertHttp("GET", spec.getKey(), response.statusCode(), response.headers(), response.body());
            assertEquals(Files.readString(spec.getValue()), response.body(), spec.getKey());
        }
    }

    @Test
    void theRenderedDocsAndEveryFileTheyLoadAreInTheImage() {
        var index = Http.send(HttpRequest.newBuilder(image.http("/docs/")).GET().build());
        Contract.assertHttp("GET", "/docs/", index.statusCode(), index.headers(), index.body());
        assertEquals(200, index.statusCode());
        for (String file : List.of("http.html", "http.js", "swagger-ui-bundle.js", "swagger-ui.css",
                                   "websocket.html", "asyncapi-web-component.js", "asyncapi-web-component.css")) {
            var response = Http.send(HttpRequest.newBuilder(image.http("/docs/" + file)).GET().build());
            Contract.assertHttp("GET", "/docs/{file}", response.statusCode(), response.headers(), response.body());
            assertEquals(200, response.statusCode(), file);
        }
    }

    private static void assertLoginProblem(String body, int status, String code) {
        var response = Http.postJson(image.http("/login"), body);
        JsonNode problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        assertTrue(problem.path("detail").asText().length() > 0);
    }
}
