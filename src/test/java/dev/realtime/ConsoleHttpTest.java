package dev.realtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
 * The HTTP side of the web console: {@code GET /} sends browsers to it, its files are served with the
 * security headers (static content goes through the same routing filters), and the page needs nothing
 * the Content-Security-Policy forbids. {@code ConsoleBrowserTest} drives it in a real browser.
 */
@ServerTest
@Timeout(60)
class ConsoleHttpTest {
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    /** Inline scripts, style elements or attributes, and event handler attributes: all refused by the CSP. */
    private static final Pattern CSP_FORBIDDEN = Pattern.compile(
            "<script(?![^>]*\\bsrc=)[^>]*>|<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE);

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    ConsoleHttpTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void aBrowserOpeningTheRootIsSentToTheConsole() {
        var response = get("/", BROWSER_ACCEPT);
        Contract.assertHttp("GET", "/", response.statusCode(), response.headers(), response.body());
        assertEquals(303, response.statusCode());
        assertEquals("/console/", response.headers().firstValue("Location").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/json", "text/plain"})
    void aPlainGetOfTheRootThatDoesNotAskForHtmlStillNeedsAnUpgrade(String accept) {
        var response = get("/", accept);
        var problem = Contract.assertHttp("GET", "/", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 426, "upgrade_required");
    }

    @Test
    void theConsoleWithoutItsSlashIsRedirected() {
        var response = get("/console", BROWSER_ACCEPT);
        Contract.assertHttp("GET", "/console", response.statusCode(), response.headers(), response.body());
        assertEquals(301, response.statusCode());
    }

    @Test
    void theConsolePageIsHtmlThatLoadsOnlyItsOwnScriptAndStylesheet() {
        var response = get("/console/", BROWSER_ACCEPT);
        Contract.assertHttp("GET", "/console/", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        String page = response.body();
        assertTrue(page.contains("<script type=\"module\" src=\"console.js\"></script>"), page);
        assertTrue(page.contains("<link rel=\"stylesheet\" href=\"console.css\">"), page);
        assertFalse(CSP_FORBIDDEN.matcher(page).find(), "inline script, style or handler: " + CSP_FORBIDDEN.matcher(page).results()
                .map(java.util.regex.MatchResult::group).toList());
        assertFalse(page.contains("http://") || page.contains("https://"), "the page loads something from another origin");
    }

    @ParameterizedTest
    @CsvSource({"index.html, text/html", "console.js, text/javascript", "console.css, text/css"})
    void eachFileHasTheContentTypeOfItsExtensionAndTheSecurityHeaders(String file, String contentType) {
        var response = get("/console/" + file, "*/*");
        Contract.assertHttp("GET", "/console/{file}", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertEquals(contentType, response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void anUnknownFileIsANotFoundProblem() {
        var response = get("/console/nothing-here.js", "*/*");
        var problem = Contract.assertHttp("GET", "/console/{file}", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 404, "not_found");
        assertEquals("/console/nothing-here.js", problem.path("instance").asText());
    }

    @Test
    void aFileOutsideTheConsoleDirectoryIsNotServed() {
        var response = get("/console/../application.yaml", "*/*");
        assertEquals(404, response.statusCode(), response.body());
    }

    @Test
    void aRevalidationOfAnUnchangedFileIsNotModified() {
        String etag = get("/console/console.js", "*/*").headers().firstValue("ETag").orElseThrow();
        var response = Http.send(HttpRequest.newBuilder(server.http("/console/console.js"))
                                         .timeout(Duration.ofSeconds(10))
                                         .header("If-None-Match", etag)
                                         .GET()
                                         .build());
        Contract.assertHttp("GET", "/console/{file}", response.statusCode(), response.headers(), response.body());
        assertEquals(304, response.statusCode());
        assertEquals("", response.body());
    }

    private HttpResponse<String> get(String path, String accept) {
        return Http.send(HttpRequest.newBuilder(server.http(path))
                                 .timeout(Duration.ofSeconds(10))
                                 .header("Accept", accept)
                                 .GET()
                                 .build());
    }
}
