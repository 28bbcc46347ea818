package dev.realtime;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Browser;
import dev.realtime.support.Contract;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rendered API docs at /docs/ in a real browser (headless Chromium) against the real server: Swagger UI lists
 * every operation of the published openapi.yaml and AsyncAPI's renderer every operation and message of
 * asyncapi.yaml, each without a console error or a CSP violation under the policies the service sends.
 * Skipped without Chromium and chromedriver, except under {@code CI=true}, where that fails.
 */
@ServerTest
@Timeout(120)
class DocsBrowserTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    DocsBrowserTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    /** Per test rather than per class, so that a skip shows up as skipped tests in the report, not as none run. */
    @BeforeEach
    void needsChromium() {
        Browser.assumeInstalled();
    }

    @Test
    void theDocsIndexLinksBothRenderingsAndTheConsoleWithoutErrors() {
        try (Browser browser = Browser.open(server.http("/docs").toString())) {
            assertEquals(server.http("/docs/").toString(), browser.driver().getCurrentUrl());
            Set<String> links = new TreeSet<>();
            browser.driver().findElements(By.cssSelector("a")).forEach(a -> links.add(a.getAttribute("href")));
            assertTrue(links.containsAll(List.of(server.http("/docs/http.html").toString(),
                                                 server.http("/docs/websocket.html").toString(),
                                                 server.http("/console/").toString())), "links: " + links);
            assertNoProblems(browser);
        }
    }

    @Test
    void theConsoleLinksTheDocs() {
        try (Browser browser = Browser.open(server.http("/console/").toString())) {
            browser.driver().findElement(By.id("docs-link")).click();
            browser.await(driver -> driver.getCurrentUrl().equals(server.http("/docs/").toString()));
            assertNoProblems(browser);
        }
    }

    @Test
    void swaggerUiListsEveryOperationOfThePublishedOpenApiDocument() {
        try (Browser browser = Browser.open(server.http("/docs/http.html").toString())) {
            Set<String> documented = new TreeSet<>();
            Contract.openApi().path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(
                    method -> {
                        if (HTTP_METHODS.contains(method)) {
                            documented.add(method.toUpperCase() + " " + path.getKey());
                        }
                    }));

            Set<String> rendered = rendered(browser, driver -> {
                @SuppressWarnings("unchecked")
                var shown = new TreeSet<>((List<String>) browser.script("""
                        return Array.from(document.querySelectorAll('.opblock-summary'), block =>
                            block.querySelector('.opblock-summary-method').textContent + ' '
                            + block.querySelector('.opblock-summary-path').getAttribute('data-path'))"""));
                return atLeast(documented, shown);
            });

            assertEquals(documented, rendered);
            assertTrue(documented.contains("POST /login"));
            assertTrue(text(browser, "#swagger-ui").contains("realtime-service HTTP API"));
            assertNoProblems(browser);
        }
    }

    @Test
    void asyncApisRendererListsEveryOperationAndMessageOfThePublishedAsyncApiDocument() {
        try (Browser browser = Browser.open(server.http("/docs/websocket.html").toString())) {
            Set<String> operations = new TreeSet<>();
            Contract.asyncApi().path("operations").fieldNames().forEachRemaining(operations::add);
            Set<String> messages = new TreeSet<>();
            Contract.asyncApi().path("components").path("messages").fieldNames().forEachRemaining(messages::add);

            // The renderer's sidebar names each operation by its id and each message by its key (linked by its name).
            Set<String> renderedOperations = rendered(browser, driver -> atLeast(operations, sidebar(browser, "operation", "span")));
            Set<String> renderedMessages = rendered(browser, driver -> atLeast(messages, sidebar(browser, "message", "")));

            assertEquals(operations, renderedOperations);
            assertEquals(messages, renderedMessages);
            assertTrue(renderedMessages.contains("welcome"));
            assertTrue(text(browser, "asyncapi-component").contains("realtime-service WebSocket API"));
            assertNotEquals("rgba(0, 0, 0, 0)", browser.script(
                                    "return getComputedStyle(document.querySelector('asyncapi-component').shadowRoot"
                                            + ".querySelector('.sidebar')).backgroundColor"),
                            "the renderer's stylesheet is applied (its @import was allowed)");
            assertNoProblems(browser);
        }
    }

    /** The texts of the renderer's sidebar links to {@code #<kind>-…} (or of their {@code inner} element). */
    @SuppressWarnings("unchecked")
    private static Set<String> sidebar(Browser browser, String kind, String inner) {
        return new TreeSet<>((List<String>) browser.script("""
                const root = document.querySelector('asyncapi-component').shadowRoot;
                return root ? Array.from(root.querySelectorAll('.sidebar a[href^="#' + arguments[0] + '-"] ' + arguments[1]),
                                         e => e.textContent) : []""", kind, inner));
    }

    /** Waits for the renderer's result; when it never comes, says what the browser reported instead. */
    private static <T> T rendered(Browser browser, Function<WebDriver, T> condition) {
        try {
            return browser.await(condition);
        } catch (TimeoutException e) {
            return fail("Not rendered; CSP violations: " + browser.cspViolations() + "; console: " + browser.consoleLog());
        }
    }

    /** Waits for rendering: the set once it is at least as big as the documented one. */
    private static Set<String> atLeast(Set<String> documented, Set<String> rendered) {
        return rendered.size() >= documented.size() ? rendered : null;
    }

    /** The element's text, including what a web component renders into its shadow root. */
    private static String text(Browser browser, String selector) {
        return (String) browser.script("const e = document.querySelector(arguments[0]);"
                                               + " return e ? (e.shadowRoot || e).textContent : ''", selector);
    }

    private static void assertNoProblems(Browser browser) {
        assertEquals(List.of(), browser.cspViolations(), "CSP violations");
        assertEquals(List.of(), browser.consoleProblems(), "browser console: " + browser.consoleLog());
    }
}
