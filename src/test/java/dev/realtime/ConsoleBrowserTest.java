package dev.realtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Browser;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestCertificate;
import dev.realtime.support.TestServer;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser (headless Chromium) against the real server: it loads under the
 * strict CSP without a single console error, logs in, talks over the WebSocket in messages that are
 * valid against asyncapi.yaml, shows problems and close codes in plain words, reconnects after an
 * unexpected drop but not after a protocol close, and keeps the token out of every storage.
 * Skipped without Chromium and chromedriver, except under {@code CI=true}, where that fails.
 * With {@code -Dscreenshots=docs} it also writes the README's screenshots.
 */
@ServerTest
@Timeout(120)
class ConsoleBrowserTest {
    /** Small, so that the console can send a message over it (1009). */
    private static final int MAX_MESSAGE_BYTES = 4096;

    private static RealtimeService service;
    private final ServiceUnderTest server;

    /**
     * The page's own origin (http://localhost:port) is deliberately not in CORS_ORIGIN: the console works on
     * whatever host name the service is reached by (same-origin upgrades are always allowed).
     */
    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        service = TestService.configure(server, Map.of(
                "CORS_ORIGIN", "https://app.example.test",
                "WS_MAX_MESSAGE_BYTES", String.valueOf(MAX_MESSAGE_BYTES)));
    }

    ConsoleBrowserTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    /** Per test rather than per class, so that a skip shows up as skipped tests in the report, not as none run. */
    @BeforeEach
    void needsChromium() {
        Browser.assumeInstalled();
    }

    @Test
    void theRootSendsTheBrowserToAConsoleThatLoadsWithoutErrorsOrCspViolations() {
        try (Browser browser = Browser.open(server.http("/").toString())) {
            assertEquals(server.http("/console/").toString(), browser.driver().getCurrentUrl());
            assertTrue(browser.driver().findElement(By.id("login-form")).isDisplayed());
            assertEquals("grid", browser.script("return getComputedStyle(document.querySelector('main')).display"),
                         "console.css is applied");
            assertNoConsoleErrors(browser);

            login(browser, "guest"); // console.js runs: it logs in and shows the welcome
            assertEquals("(none)", browser.driver().findElement(By.id("welcome-roles")).getText());
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void aWrongPasswordShowsTheProblemsDetailAndCode() {
        try (Browser browser = Browser.open(server.http("/console/").toString())) {
            String shown = loginFails(browser, "alice", "not-her-password");

            assertTrue(shown.contains("Unknown user or wrong password."), shown);
            assertTrue(shown.contains("invalid_credentials"), shown);
            assertFalse(browser.driver().findElement(By.id("session")).isDisplayed());
            browser.screenshotIfAsked("console-wrong-password.png");
            // The browser reports the 401 itself; anything else would be the page's fault.
            assertTrue(browser.consoleProblems().stream()
                               .allMatch(e -> e.getMessage().contains("/login") && e.getMessage().contains("401")),
                       "console: " + browser.consoleLog());
        }
    }

    @Test
    void aliceAndBobTalkThroughTheirConsoles() {
        try (Browser alice = Browser.open(server.http("/console/").toString());
             Browser bob = Browser.open(server.http("/console/").toString())) {
            login(alice, "alice");
            alice.driver().findElement(By.id("presence")).click();
            awaitIn(alice, m -> m.path("type").asText().equals("ack") && m.path("id").asText().startsWith("subscribe-"));

            submit(alice, "echo-form", Map.of("echo-text", "olá"));
            awaitIn(alice, m -> m.path("type").asText().equals("echo") && m.at("/payload/text").asText().equals("olá"));

            login(bob, "bob");
            awaitIn(alice, m -> m.path("type").asText().equals("presence") && m.path("user").asText().equals("bob"));

            submit(alice, "broadcast-form", Map.of("broadcast-text", "hello everyone"));
            awaitIn(bob, m -> m.path("type").asText().equals("broadcast") && m.path("from").asText().equals("alice")
                    && m.at("/payload/text").asText().equals("hello everyone"));
            awaitIn(alice, m -> m.path("type").asText().equals("ack") && m.path("id").asText().startsWith("broadcast-")
                    && m.path("delivered").asInt() >= 2); // alice and bob, and any session a previous test left behind

            submit(alice, "direct-form", Map.of("direct-to", "bob", "direct-text", "hi bob"));
            awaitIn(bob, m -> m.path("type").asText().equals("direct") && m.path("from").asText().equals("alice")
                    && m.at("/payload/text").asText().equals("hi bob"));
            awaitIn(alice, m -> m.path("type").asText().equals("ack") && m.path("id").asText().startsWith("direct-")
                    && m.path("delivered").asInt() == 1);

            submit(alice, "direct-form", Map.of("direct-to", "carol", "direct-text", "anyone?"));
            awaitIn(alice, m -> m.path("code").asText().equals("user_not_connected"));
            assertTrue(logLines(alice).stream().anyMatch(l -> l.contains("Error user_not_connected on direct-")),
                       "the error is shown in words: " + logLines(alice));
            alice.screenshotIfAsked("console-session.png");

            for (Browser browser : List.of(alice, bob)) {
                assertEverythingSentAndReceivedIsInTheContract(browser);
                assertTheTokenIsOnlyInMemory(browser);
                assertNoConsoleErrors(browser);
            }
        }
    }

    @Test
    void aBackEndPublishReachesTheBrowser() {
        try (Browser bob = Browser.open(server.http("/console/").toString())) {
            login(bob, "bob");
            var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                             .header("Authorization", "Bearer " + Http.login(server, "jobs", "jobs-password"))
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofString(
                                                     "{\"to\":\"bob\",\"payload\":{\"job\":\"report-42\",\"status\":\"done\"}}"))
                                             .build());
            JsonNode result = Contract.assertHttp("POST", "/messages", response.statusCode(), response.headers(), response.body());
            assertTrue(result.get("delivered").asInt() >= 1, result.toString());
            awaitIn(bob, m -> m.path("type").asText().equals("direct") && m.path("from").asText().equals("jobs")
                    && m.at("/payload/job").asText().equals("report-42"));
            assertEverythingSentAndReceivedIsInTheContract(bob);
            assertNoConsoleErrors(bob);
        }
    }

    @Test
    void anUnexpectedDropIsFollowedByAReconnectAndANewSession() {
        try (Browser alice = Browser.open(server.http("/console/").toString())) {
            String first = login(alice, "alice");

            service.sessions().all().stream().filter(s -> s.id().equals(first)).findFirst().orElseThrow()
                    .closeWith(1001, "Server shutting down");

            alice.await(d -> logLines(alice).stream().anyMatch(l -> l.contains("Connection closed: 1001 — server shutting down")));
            String second = alice.await(d -> {
                String shown = d.findElement(By.id("welcome-session")).getText();
                return shown.isEmpty() || shown.equals(first) ? null : shown;
            });
            assertNotEquals(first, second);
            assertNoConsoleErrors(alice);
        }
    }

    @Test
    void aReconnectAfterADropResumesWithWhatWasMissedAndSaysHowMuchWasRecovered() {
        try (Browser alice = Browser.open(server.http("/console/").toString())) {
            String first = login(alice, "alice");
            service.sessions().all().stream().filter(s -> s.id().equals(first)).findFirst().orElseThrow()
                    .closeWith(1001, "Server shutting down");
            alice.await(d -> logLines(alice).stream().anyMatch(l -> l.contains("Connection closed: 1001")));
            String jobs = Http.login(server, "jobs", "jobs-password");
            for (String body : new String[] {"{\"to\":\"alice\",\"payload\":\"missed-direct\"}", "{\"payload\":\"missed-broadcast\"}"}) {
                var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                                 .header("Authorization", "Bearer " + jobs)
                                                 .header("Content-Type", "application/json")
                                                 .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertEquals(202, response.statusCode(), response.body());
            }

            // Replayed after the resume's welcome, or live if the reconnect came first: either way once each.
            alice.await(d -> logLines(alice).stream().anyMatch(l -> l.matches("(?s).*Recovered \\d+ message\\(s\\) missed while disconnected\\..*")));
            for (String payload : List.of("missed-direct", "missed-broadcast")) {
                awaitIn(alice, m -> m.path("payload").asText().equals(payload));
                assertEquals(1, messages(alice, "in").stream().filter(m -> m.path("payload").asText().equals(payload)).count(),
                             payload + " exactly once");
            }
            assertTrue(messages(alice, "in").stream().filter(m -> m.path("type").asText().equals("welcome")).toList().getLast()
                               .path("recovery").path("recovered").asBoolean(), "the second welcome recovered everything");
            assertEverythingSentAndReceivedIsInTheContract(alice);
            assertNoConsoleErrors(alice);
        }
    }

    @Test
    void aMessageOverTheLimitIsExplainedAndNotRetriedUntilTheUserSaysSo() throws InterruptedException {
        try (Browser alice = Browser.open(server.http("/console/").toString())) {
            login(alice, "alice");
            alice.script("document.getElementById('echo-text').value = 'x'.repeat(" + MAX_MESSAGE_BYTES + ")");
            alice.driver().findElement(By.cssSelector("#echo-form button")).click();

            WebElement problem = alice.driver().findElement(By.id("connection-problem"));
            alice.await(d -> problem.isDisplayed());
            assertTrue(problem.getText().contains("1009 — message too big"), problem.getText());
            // Longer than the first back-off step (at most 1 s): no automatic reconnect happened.
            Thread.sleep(2500);
            assertEquals(1, welcomes(alice));

            alice.driver().findElement(By.id("reconnect")).click();
            alice.await(d -> welcomes(alice) == 2);
            assertFalse(problem.isDisplayed());
        }
    }

    /** With TLS the service's port speaks only HTTPS and WSS: a welcome proves the page opened wss:// by itself. */
    @Test
    void onAnHttpsPageTheConsoleOpensItsWebSocketWithWss(@TempDir Path certs) {
        TestCertificate.create("console-test").writeTo(certs);
        try (TestServer secure = TestServer.start(Map.of("CORS_ORIGIN", "https://app.example.test",
                                                         "TLS_CERT_FILE", certs.resolve("cert.pem").toString(),
                                                         "TLS_KEY_FILE", certs.resolve("key.pem").toString()));
             Browser alice = Browser.open("https://127.0.0.1:" + secure.port() + "/console/")) {
            login(alice, "alice");
            assertEquals(1, secure.sessions().size(), "the session is on the port that speaks only TLS");
            assertNoConsoleErrors(alice);
        }
    }

    /** The token lives 62 s and the warning comes 60 s before: the console refreshes it about every 2 s. */
    @Test
    void theConsoleRefreshesItsSessionsTokenByItselfAndSaysSo() {
        try (TestServer shortTokens = TestServer.start(Map.of("CORS_ORIGIN", "https://app.example.test",
                                                              "TOKEN_TTL_SECONDS", "62", "WS_TOKEN_EXPIRY_WARNING_SECONDS", "60"));
             Browser alice = Browser.open(shortTokens.http("/console/").toString())) {
            String session = login(alice, "alice");
            awaitIn(alice, m -> m.path("type").asText().equals("token_expiring"));
            awaitIn(alice, m -> m.path("type").asText().equals("ack") && m.path("id").asText().startsWith("refresh-")
                    && m.has("tokenExpiresAt"));
            assertTrue(logLines(alice).stream().anyMatch(l -> l.contains("Token refreshed by the console")),
                       "the refresh is in the log: " + logLines(alice));
            assertEquals(session, alice.driver().findElement(By.id("welcome-session")).getText(), "the same session goes on");
            assertEquals(1, welcomes(alice));
            assertEverythingSentAndReceivedIsInTheContract(alice);
            assertTheTokenIsOnlyInMemory(alice);
            assertNoConsoleErrors(alice);
        }
    }

    private static String login(Browser browser, String user) {
        submit(browser, "login-form", Map.of("username", user, "password", user + "-password"));
        browser.await(d -> d.findElement(By.id("welcome-user")).getText().equals(user));
        assertEquals("Connected as " + user + ".", browser.driver().findElement(By.id("status")).getText());
        return browser.driver().findElement(By.id("welcome-session")).getText();
    }

    /** @return the problem the page shows */
    private static String loginFails(Browser browser, String user, String password) {
        submit(browser, "login-form", Map.of("username", user, "password", password));
        WebElement error = browser.driver().findElement(By.id("login-error"));
        browser.await(d -> error.isDisplayed());
        return error.getText();
    }

    private static void submit(Browser browser, String form, Map<String, String> fields) {
        fields.forEach((id, value) -> {
            WebElement input = browser.driver().findElement(By.id(id));
            input.clear();
            input.sendKeys(value);
        });
        // requestSubmit, like a click on the form's button: it runs the page's submit handler (and checks `required`).
        browser.script("document.getElementById('" + form + "').requestSubmit()");
    }

    private static void awaitIn(Browser browser, Predicate<JsonNode> wanted) {
        browser.await(d -> messages(browser, "in").stream().anyMatch(wanted));
    }

    private static long welcomes(Browser browser) {
        return messages(browser, "in").stream().filter(m -> m.path("type").asText().equals("welcome")).count();
    }

    /** The JSON the page logged as received ({@code in}) or sent ({@code out}), exactly as on the wire. */
    private static List<JsonNode> messages(Browser browser, String direction) {
        return browser.driver().findElements(By.cssSelector("#log li." + direction + " code")).stream()
                .map(e -> Contract.parseJson(e.getText()))
                .toList();
    }

    private static List<String> logLines(Browser browser) {
        return browser.driver().findElements(By.cssSelector("#log li")).stream().map(WebElement::getText).toList();
    }

    private static void assertEverythingSentAndReceivedIsInTheContract(Browser browser) {
        browser.driver().findElements(By.cssSelector("#log li.out code"))
                .forEach(e -> Contract.assertClientMessage(e.getText()));
        browser.driver().findElements(By.cssSelector("#log li.in code"))
                .forEach(e -> Contract.assertServerMessage(e.getText()));
    }

    @SuppressWarnings("unchecked")
    private static void assertTheTokenIsOnlyInMemory(Browser browser) {
        var stored = (List<Object>) browser.script(
                "return [localStorage.length, sessionStorage.length, document.cookie, document.documentElement.outerHTML]");
        assertEquals(0L, stored.get(0), "localStorage");
        assertEquals(0L, stored.get(1), "sessionStorage");
        assertEquals("", stored.get(2), "document.cookie");
        // A JWT starts with the base64 of '{"': it is nowhere on the page either.
        assertFalse(((String) stored.get(3)).contains("eyJ"), "the token is shown on the page");
    }

    private static void assertNoConsoleErrors(Browser browser) {
        assertEquals(List.of(), browser.consoleProblems(), "browser console: " + browser.consoleLog());
    }
}
