package dev.realtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's rotation procedure for a cluster, one instance per step: tokens signed before, during and
 * after the rotation open WebSockets wherever the procedure says they must, and nowhere else.
 */
@Timeout(60)
class KeyRotationTest {
    private static final String OLD = "rotation-test-old-key-0123456789abcdef";
    private static final String NEW = "rotation-test-new-key-0123456789abcdef";

    @Test
    void aClusterRotatesItsSigningKeyWithoutLoggingAnyoneOut() {
        try (TestServer before = TestServer.start(Map.of("JWT_SECRET", OLD));
             TestServer added = TestServer.start(Map.of("JWT_SECRET", OLD, "JWT_PREVIOUS_SECRETS", NEW));
             TestServer switched = TestServer.start(Map.of("JWT_SECRET", NEW, "JWT_PREVIOUS_SECRETS", " " + OLD + " , "));
             TestServer dropped = TestServer.start(Map.of("JWT_SECRET", NEW))) {
            String oldToken = Http.login(before, "alice", "alice-password");
            String newToken = Http.login(switched, "alice", "alice-password");

            // Step 1, the new key added as previous everywhere: old tokens work, and so will the new ones.
            assertWelcomes(added, oldToken);
            assertWelcomes(added, newToken);
            // Step 2, switched: new tokens are signed with the new key, old ones still verify.
            assertWelcomes(switched, oldToken);
            assertWelcomes(switched, newToken);
            // Step 3, the old key dropped after the token lifetime: its tokens are refused.
            assertWelcomes(dropped, newToken);
            assertRefused(dropped, oldToken);
            // Skipping step 1: an instance that does not know the new key yet refuses its tokens.
            assertRefused(before, newToken);
        }
    }

    private static void assertWelcomes(TestServer server, String token) {
        try (WsClient client = WsClient.connect(server.ws("/?token=" + token))) {
            assertEquals("alice", client.next("welcome").get("user").asText());
        }
    }

    private static void assertRefused(TestServer server, String token) {
        var response = RawHttp.upgrade(server, "/?token=" + token, Map.of());
        JsonNode problem = Contract.assertHttp("GET", "/", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, 401, "invalid_token");
    }
}
