package dev.realtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP side of the rendered docs at /docs/: every file openapi.yaml lists is served with the content type of its
 * extension, nothing is loaded from another origin, and the strict CSP is relaxed on the AsyncAPI page only.
 * {@code DocsBrowserTest} renders them in a real browser.
 */
@ServerTest
@Timeout(60)
class DocsHttpTest {
    private static final String STRICT_POLICY = Contract.openApi()
            .at("/components/headers/Content-Security-Policy/example").asText();

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    DocsHttpTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void theDocsWithoutTheirSlashAreRedirected() {
        var response = get("/docs");
        Contract.assertHttp("GET", "/docs", response.statusCode(), response.headers(), response.body());
        assertEquals(301, response.statusCode());
    }

    @Test
    void theIndexIsHtmlUnderTheStrictPolicy() {
        var response = get("/docs/");
        Contract.assertHttp("GET", "/docs/", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertEquals(STRICT_POLICY, response.headers().firstValue("Content-Security-Policy").orElseThrow());
    }

    /** Every value of the {@code file} parameter's enum. */
    static Iterable<String> documentedFiles() {
        return Contract.openApi().at("/paths/~1docs~1{file}/get/parameters/0/schema/enum").valueStream()
                .map(node -> node.asText()).toList();
    }

    @ParameterizedTest
    @MethodSource("documentedFiles")
    void everyDocumentedFileIsServedWithTheContentTypeOfItsExtensionAndNothingFromElsewhere(String file) {
        var response = get("/docs/" + file);
        Contract.assertHttp("GET", "/docs/{file}", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        String extension = file.substring(file.lastIndexOf('.') + 1);
        String expected = switch (extension) {
            case "html" -> "text/html";
            case "js" -> "text/javascript";
            case "css" -> "text/css";
            default -> "text/plain";
        };
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith(expected),
                   file + ": " + response.headers().firstValue("Content-Type"));
        if (extension.equals("html")) {
            assertFalse(response.body().matches("(?s).*(src|href)=\"https?://.*"), file + " loads something from another origin");
        }
    }

    @Test
    void onlyTheAsyncApiPageGetsThePolicyRelaxedForItsRenderer() {
        String relaxed = get("/docs/websocket.html").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertEquals(STRICT_POLICY.replace("script-src 'self';", "script-src 'self' 'unsafe-eval';")
                             .replace("style-src 'self'", "style-src 'self' 'sha256-syrz1kpGB/XrKOrTHdsOZea1zhidJv1DFywAHt3aBag='"),
                     relaxed, "exactly eval and the renderer's one inline <style> (@import of its stylesheet) are added");
        assertEquals(relaxed, Contract.openApi().at("/paths/~1docs~1{file}/get/responses/200/headers/Content-Security-Policy/example").asText(),
                     "openapi.yaml shows the relaxed policy");
        for (String strict : new String[] {"/docs/http.html", "/docs/asyncapi-web-component.js", "/docs/websocket.html/", "/console/"}) {
            assertEquals(STRICT_POLICY, get(strict).headers().firstValue("Content-Security-Policy").orElseThrow(), strict);
        }
    }

    @Test
    void anUnknownFileIsANotFoundProblem() {
        var response = get("/docs/swagger-initializer.js");
        var problem = Contract.assertHttp("GET", "/docs/{file}", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 404, "not_found");
    }

    @Test
    void aRevalidationOfAnUnchangedRendererIsNotModified() {
        String etag = get("/docs/swagger-ui-bundle.js").headers().firstValue("ETag").orElseThrow();
        var response = Http.send(HttpRequest.newBuilder(server.http("/docs/swagger-ui-bundle.js"))
                                         .timeout(Duration.ofSeconds(10))
                                         .header("If-None-Match", etag)
                                         .GET()
                                         .build());
        Contract.assertHttp("GET", "/docs/{file}", response.statusCode(), response.headers(), response.body());
        assertEquals(304, response.statusCode());
    }

    private HttpResponse<String> get(String path) {
        return Http.send(HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }
}
