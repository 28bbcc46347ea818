package dev.realtime;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /login is throttled per client address and per username, and its hashing is bounded. */
class LoginLimitsTest {
    @Test
    void theAttemptsPerAddressArePassedAndTheNextOneIs429WithRetryAfter() {
        try (TestServer server = TestServer.start(Map.of("LOGIN_ATTEMPTS_PER_MINUTE", "3"))) {
            assertEquals(200, login(server, "alice", "alice-password").statusCode());
            assertEquals(401, login(server, "alice", "wrong").statusCode());
            assertEquals(200, login(server, "bob", "bob-password").statusCode());

            var refused = login(server, "bob", "bob-password");
            JsonNode problem = Contract.assertHttp("POST", "/login", refused.statusCode(), refused.headers(), refused.body());
            Contract.assertProblem(problem, 429, "rate_limited");
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        }
    }

    @Test
    void failedLoginsForOneUsernameLockThatUsernameButNoOther() {
        try (TestServer server = TestServer.start(Map.of("LOGIN_FAILURES_PER_USER", "2"))) {
            assertEquals(401, login(server, "alice", "guess-1").statusCode());
            assertEquals(401, login(server, "alice", "guess-2").statusCode());

            var locked = login(server, "alice", "alice-password");
            Contract.assertProblem(Contract.assertHttp("POST", "/login", locked.statusCode(), locked.headers(), locked.body()),
                                   429, "rate_limited");
            assertTrue(locked.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, login(server, "bob", "bob-password").statusCode(), "other users are not affected");
        }
    }

    @Test
    void successfulLoginsDoNotCountAsFailures() {
        try (TestServer server = TestServer.start(Map.of("LOGIN_FAILURES_PER_USER", "1"))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, login(server, "alice", "alice-password").statusCode());
            }
        }
    }

    @Test
    void whenEveryHashingSlotIsTakenTooLongALoginGets503WithRetryAfter() throws Exception {
        try (TestServer server = TestServer.start(Map.of("LOGIN_MAX_CONCURRENT_HASHES", "1", "LOGIN_HASHING_WAIT_MS", "1"))) {
            List<Callable<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                logins.add(() -> login(server, "alice", "alice-password"));
            }
            int ok = 0;
            int busy = 0;
            try (var pool = Executors.newFixedThreadPool(8)) {
                for (Future<HttpResponse<String>> future : pool.invokeAll(logins)) {
                    var response = future.get();
                    JsonNode body = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
                    if (response.statusCode() == 503) {
                        Contract.assertProblem(body, 503, "server_busy");
                        busy++;
                    } else {
                        assertEquals(200, response.statusCode(), response.body());
                        ok++;
                    }
                }
            }
            assertTrue(ok >= 1, "at least one login got the slot");
            assertTrue(busy >= 1, "8 logins at once with one slot and a 1 ms wait: some must be told the server is busy");
        }
    }

    @Test
    void withRoomForEveryoneConcurrentLoginsAllSucceed() throws Exception {
        try (TestServer server = TestServer.start(Map.of("LOGIN_MAX_CONCURRENT_HASHES", "1"))) {
            List<Callable<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                logins.add(() -> login(server, "bob", "bob-password"));
            }
            try (var pool = Executors.newFixedThreadPool(8)) {
                for (Future<HttpResponse<String>> future : pool.invokeAll(logins)) {
                    assertEquals(200, future.get().statusCode(), "8 × ~55 ms of bcrypt fit in the 2 s wait");
                }
            }
        }
    }

    private static HttpResponse<String> login(TestServer server, String user, String password) {
        return Http.postJson(server.http("/login"), "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }
}
