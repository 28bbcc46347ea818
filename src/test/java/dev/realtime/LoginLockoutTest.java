package dev.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.realtime.support.Contract;
import dev.realtime.support.TestClock;
import dev.realtime.support.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Failed logins lock a (username, client address) pair, not the username: 1 minute, then doubling up to
 * 15 minutes, reset by a successful login; a much higher per-username cap covers guessing from many
 * addresses. Real requests from two client addresses (127.0.0.1 and 127.0.0.2, both on the loopback
 * interface), minutes passed on a {@link TestClock}.
 */
@Timeout(60)
class LoginLockoutTest {
    private static final String ONE = "127.0.0.1";
    private static final String TWO = "127.0.0.2";
    private static final Map<String, String> FIVE_FAILURES = Map.of("LOGIN_FAILURES_BEFORE_LOCKOUT", "5");

    private final TestClock clock = new TestClock();

    @Test
    void fiveFailuresFromOneAddressLockThatAddressForAMinuteButNotTheUserElsewhere() {
        try (TestServer server = TestServer.start(FIVE_FAILURES, clock)) {
            for (int i = 0; i < 4; i++) {
                assertEquals(401, login(server, ONE, "alice", "guess-" + i).statusCode());
            }
            assertEquals(200, login(server, TWO, "alice", "alice-password").statusCode(), "four failures are no lockout yet");
            assertEquals(401, login(server, ONE, "alice", "guess-4").statusCode());

            assertLocked(login(server, ONE, "alice", "alice-password"), 60);
            assertEquals(200, login(server, TWO, "alice", "alice-password").statusCode(), "alice still logs in from elsewhere");
            assertEquals(200, login(server, ONE, "bob", "bob-password").statusCode(), "other users from that address are not locked");

            clock.advance(Duration.ofSeconds(59));
            assertLocked(login(server, ONE, "alice", "alice-password"), 1);
            clock.advance(Duration.ofSeconds(1));
            assertEquals(200, login(server, ONE, "alice", "alice-password").statusCode(), "the lockout is over after a minute");
        }
    }

    @Test
    void eachFurtherFailureAfterALockoutLocksTwiceAsLongUpToFifteenMinutes() {
        try (TestServer server = TestServer.start(FIVE_FAILURES, clock)) {
            for (int i = 0; i < 5; i++) {
                login(server, ONE, "alice", "guess-" + i);
            }
            for (long seconds : new long[] {60, 120, 240, 480, 900, 900}) {
                assertLocked(login(server, ONE, "alice", "guess"), seconds);
                clock.advance(Duration.ofSeconds(seconds - 1));
                assertLocked(login(server, ONE, "alice", "guess"), 1);
                clock.advance(Duration.ofSeconds(1));
                assertEquals(401, login(server, ONE, "alice", "guess").statusCode(), "a wrong password once the lockout is over");
            }
        }
    }

    @Test
    void aSuccessfulLoginResetsTheFailuresAndTheDoubling() {
        try (TestServer server = TestServer.start(FIVE_FAILURES, clock)) {
            for (int i = 0; i < 6; i++) {
                login(server, ONE, "alice", "guess-" + i); // locked for 1 minute, then 2 (the sixth is refused)
            }
            clock.advance(Duration.ofMinutes(1));
            assertEquals(401, login(server, ONE, "alice", "guess").statusCode());
            clock.advance(Duration.ofMinutes(2));
            assertEquals(200, login(server, ONE, "alice", "alice-password").statusCode());

            for (int i = 0; i < 4; i++) {
                assertEquals(401, login(server, ONE, "alice", "guess-" + i).statusCode(), "failures count from zero again");
            }
            assertEquals(401, login(server, ONE, "alice", "guess-4").statusCode());
            assertLocked(login(server, ONE, "alice", "alice-password"), 60);
        }
    }

    @Test
    void thePerUsernameCapCountsFailuresFromEveryAddress() {
        try (TestServer server = TestServer.start(Map.of("LOGIN_FAILURES_BEFORE_LOCKOUT", "5", "LOGIN_FAILURES_PER_USER", "4"),
                                                  clock)) {
            for (int i = 0; i < 2; i++) {
                assertEquals(401, login(server, ONE, "alice", "guess").statusCode());
                assertEquals(401, login(server, TWO, "alice", "guess").statusCode());
            }
            var capped = login(server, "127.0.0.3", "alice", "alice-password");
            Contract.assertProblem(Contract.assertHttp("POST", "/login", capped.statusCode(), capped.headers(), capped.body()),
                                   429, "rate_limited");
            assertEquals(200, login(server, ONE, "bob", "bob-password").statusCode());
        }
    }

    @Test
    void aUsernameOfOneHundredEmojiIsValidByTheSpecAndJustUnknown() {
        try (TestServer server = TestServer.start()) {
            var response = login(server, ONE, "😀".repeat(100), "some-password");
            Contract.assertProblem(Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body()),
                                   401, "invalid_credentials");
        }
    }

    @Test
    void aUsernameOfOneHundredTwentyNineEmojiIsOverMaxLength() {
        try (TestServer server = TestServer.start()) {
            var response = login(server, ONE, "😀".repeat(129), "some-password");
            Contract.assertProblem(Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body()),
                                   400, "validation_failed");
        }
    }

    private static void assertLocked(HttpResponse<String> response, long retryAfterSeconds) {
        Contract.assertProblem(Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body()),
                               429, "rate_limited");
        assertEquals(String.valueOf(retryAfterSeconds), response.headers().firstValue("Retry-After").orElse(""));
    }

    /** A login whose TCP connection comes from {@code localAddress}: the client address the server sees. */
    private static HttpResponse<String> login(TestServer server, String localAddress, String user, String password) {
        try {
            HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress)).build();
            try (client) {
                return client.send(HttpRequest.newBuilder(server.http("/login"))
                                           .header("Content-Type", "application/json")
                                           .POST(HttpRequest.BodyPublishers.ofString(
                                                   "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                                           .build(),
                                   HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
