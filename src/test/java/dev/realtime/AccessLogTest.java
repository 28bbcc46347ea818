package dev.realtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The access log (application.yaml {@code server.features.access-log}) has a line per request with
 * method, path, status and duration, and never the token, whether it came in the query or a header.
 */
@Timeout(60)
class AccessLogTest {
    /** Helidon logs to "io.helidon.webserver.AccessLog.&lt;socket&gt;"; the records propagate to this parent. */
    private static final Logger ACCESS_LOG = Logger.getLogger("io.helidon.webserver.AccessLog");
    /** {@code "%r" %s %b %D}: the request line in quotes, then status, bytes and the duration in microseconds. */
    private static final Pattern LINE = Pattern.compile("\"(?<method>[A-Z]+) (?<path>\\S+) HTTP/1\\.1\" (?<status>\\d{3}) (?:\\d+|-) (?<micros>\\d+)$");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            LINES.add(formatter.formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static TestServer server;
    private static Level previousLevel;

    @BeforeAll
    static void start() {
        previousLevel = ACCESS_LOG.getLevel();
        ACCESS_LOG.setLevel(Level.INFO);
        CAPTURE.setLevel(Level.ALL);
        ACCESS_LOG.addHandler(CAPTURE);
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        ACCESS_LOG.removeHandler(CAPTURE);
        ACCESS_LOG.setLevel(previousLevel);
    }

    @Test
    void aLoginIsLoggedWithMethodPathStatusAndDuration() {
        LINES.clear();
        Http.login(server, "alice", "alice-password");
        assertLogged("POST", "/login", 200);
    }

    @Test
    void anUpgradeWithTheTokenInTheQueryIsLoggedWithoutTheToken() {
        String token = Http.login(server, "alice", "alice-password");
        LINES.clear();
        try (WsClient client = WsClient.connect(server.ws("/?token=" + token))) {
            client.next("welcome");
        }
        assertLogged("GET", "/", 101);
        assertNothingSecretIn(token);
    }

    @Test
    void anUpgradeWithABearerHeaderIsLoggedWithoutTheToken() {
        String token = Http.login(server, "bob", "bob-password");
        LINES.clear();
        try (WsClient client = WsClient.connect(server.ws("/"), Map.of("Authorization", "Bearer " + token))) {
            client.next("welcome");
        }
        assertLogged("GET", "/", 101);
        assertNothingSecretIn(token);
    }

    @Test
    void aRejectedUpgradeIsLoggedAs401WithoutTheRejectedToken() {
        String rejected = "not-a-real-token-but-still-a-secret";
        LINES.clear();
        var response = RawHttp.upgrade(server, "/?token=" + rejected, Map.of());
        var problem = Contract.assertHttp("GET", "/", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, 401, "invalid_token");
        assertLogged("GET", "/", 401);
        assertNothingSecretIn(rejected);
    }

    @Test
    void aRejectedBearerUpgradeIsLoggedAs401WithoutTheHeader() {
        String rejected = "rejected-bearer-token-value";
        LINES.clear();
        var response = RawHttp.upgrade(server, "/", Map.of("Authorization", "Bearer " + rejected));
        var problem = Contract.assertHttp("GET", "/", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, 401, "invalid_token");
        assertLogged("GET", "/", 401);
        assertNothingSecretIn(rejected);
    }

    /** The line is written after the response is sent, so wait for it. */
    private static void assertLogged(String method, String path, int status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : LINES) {
                Matcher m = LINE.matcher(line);
                if (m.find() && m.group("method").equals(method) && m.group("path").equals(path)
                        && Integer.parseInt(m.group("status")) == status) {
                    assertTrue(Long.parseLong(m.group("micros")) >= 0, line);
                    return;
                }
            }
            sleep();
        }
        fail("No access log line for " + method + " " + path + " " + status + " within " + WAIT + "; lines: " + LINES);
    }

    private static void assertNothingSecretIn(String token) {
        assertFalse(LINES.isEmpty(), "nothing was logged");
        for (String line : LINES) {
            assertFalse(line.contains(token), "the token is in the access log: " + line);
            assertFalse(line.contains("token="), "the token parameter is in the access log: " + line);
            assertFalse(line.contains("Bearer"), "an Authorization header is in the access log: " + line);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyCapturedLineHasTheDocumentedShape() {
        LINES.clear();
        Http.login(server, "demo", "demo-password");
        assertLogged("POST", "/login", 200);
        for (String line : LINES) {
            assertTrue(LINE.matcher(line).find(), "not an access log line of the configured format: " + line);
        }
    }
}
