package dev.realtime;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.realtime.support.Await;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.RunningServer;
import dev.realtime.support.WsClient;
import dev.realtime.ws.ConnectedSession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who is connected: {@code SessionRegistry} maps each user to their open sessions, the ids
 * being the {@code sessionId}s of the welcomes, and forgets a session as soon as its connection is gone,
 * however it ended. A fresh server per test, so that counts are not disturbed by other tests.
 */
class SessionRegistryTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    @Test
    void eachUserMapsToTheSessionsOfTheirOpenConnections() {
        int start = server.sessions().size();
        String aliceToken = Http.login(server, "alice", "alice-password");
        String bobToken = Http.login(server, "bob", "bob-password");
        try (WsClient alice1 = WsClient.connect(server.ws("/?token=" + aliceToken));
             WsClient alice2 = WsClient.connect(server.ws("/?token=" + aliceToken));
             WsClient bob = WsClient.connect(server.ws("/?token=" + bobToken))) {
            String alice1Id = alice1.next("welcome").get("sessionId").asText();
            String alice2Id = alice2.next("welcome").get("sessionId").asText();
            String bobId = bob.next("welcome").get("sessionId").asText();

            assertEquals(Set.of(alice1Id, alice2Id), ids("alice"));
            assertEquals(Set.of(bobId), ids("bob"));
            assertTrue(server.sessions().sessionsOf("alice").stream().allMatch(s -> s.user().equals("alice")));
            assertEquals(Set.of(), ids("demo"));
            assertEquals(start + 3, server.sessions().size());

            assertEquals(1000, alice1.closeNormally());
            Await.until(() -> ids("alice").equals(Set.of(alice2Id)),
                        () -> "alice should have only " + alice2Id + " left; has " + ids("alice"));
            assertEquals(Set.of(bobId), ids("bob"));

            assertEquals(1000, alice2.closeNormally());
            assertEquals(1000, bob.closeNormally());
            Await.until(() -> server.sessions().size() == start,
                        () -> "size() should be back to " + start + "; sessions: " + server.sessions().all());
            assertEquals(Set.of(), ids("alice"));
            assertEquals(Set.of(), ids("bob"));
        }
    }

    @Test
    void aSessionStaysRegisteredWhileItsConnectionIsOpenAndIdle() throws InterruptedException {
        try (WsClient client = WsClient.connect(server.ws("/?token=" + Http.login(server, "bob", "bob-password")))) {
            String id = client.next("welcome").get("sessionId").asText();
            Thread.sleep(500);
            assertEquals(Set.of(id), ids("bob"));
            client.send("{\"type\":\"echo\",\"id\":\"still\",\"payload\":null}");
            client.next("echo");
            assertEquals(Set.of(id), ids("bob"));
        }
    }

    /**
     * A client that crashes or loses its network sends no close frame, and Helidon calls no listener
     * method when the connection ends that way; the registry must still let the session go.
     */
    @Test
    void aClientThatDisappearsWithoutACloseFrameIsRemoved() {
        try (WsClient client = WsClient.connect(server.ws("/?token=" + Http.login(server, "demo", "demo-password")))) {
            String id = client.next("welcome").get("sessionId").asText();
            assertEquals(Set.of(id), ids("demo"));
            client.abort();
            Await.until(() -> ids("demo").isEmpty(),
                        () -> "the session of a client that vanished (no close frame) is still registered: " + ids("demo"));
        }
    }

    @Test
    void aRawConnectionThatHangsUpRightAfterTheUpgradeIsRemoved() {
        String token = Http.login(server, "demo", "demo-password");
        // Reads the 101 and closes the TCP connection: no WebSocket frame is ever sent by this client.
        var response = RawHttp.upgrade(server, "/?token=" + token, Map.of());
        assertEquals(101, response.status());
        Await.until(() -> ids("demo").isEmpty(),
                    () -> "the session of a connection closed without a close frame is still registered: " + ids("demo"));
    }

    private Set<String> ids(String user) {
        return server.sessions().sessionsOf(user).stream().map(ConnectedSession::id).collect(Collectors.toSet());
    }
}
