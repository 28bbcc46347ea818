package dev.realtime.image;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.Peer;
import dev.realtime.support.Positions;
import dev.realtime.support.WsClient;

import static dev.realtime.support.Positions.resume;
import static dev.realtime.support.Positions.since;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built image pushes as the contract says: broadcast and direct between clients, POST /messages, GET /sessions. */
class ImagePushIT {
    private static ImageUnderTest image;

    @BeforeAll
    static void start() {
        image = ImageUnderTest.shared();
    }

    @Test
    void twoUsersInDifferentClientsSeeEachOthersBroadcastsAndDirectMessages() {
        try (WsClient alice = connect("alice"); WsClient bob = connect("bob")) {
            alice.send("{\"type\":\"broadcast\",\"id\":\"b1\",\"payload\":{\"text\":\"hi all\"}}");
            JsonNode atBob = bob.next("broadcast");
            assertEquals("alice", atBob.get("from").asText());
            assertEquals("hi all", atBob.get("payload").get("text").asText());
            assertEquals("broadcast", alice.next().get("type").asText(), "the sender's own session gets it too");
            assertEquals("b1", alice.next("ack").get("id").asText());

            bob.send("{\"type\":\"direct\",\"id\":\"d1\",\"to\":\"alice\",\"payload\":\"just you\"}");
            JsonNode atAlice = alice.next("direct");
            assertEquals("bob", atAlice.get("from").asText());
            assertEquals("just you", atAlice.get("payload").asText());
            JsonNode ack = bob.next("ack");
            assertEquals(1, ack.get("delivered").asInt());
        }
    }

    @Test
    void aBackEndPublishReachesTheConnectedUser() {
        try (WsClient bob = connect("bob")) {
            String jobs = Peer.token(image, "jobs");
            var response = Http.send(HttpRequest.newBuilder(image.http("/messages"))
                                             .header("Authorization", "Bearer " + jobs)
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofString(
                                                     "{\"to\":\"bob\",\"payload\":{\"job\":\"report-42\",\"status\":\"done\"}}"))
                                             .build());
            JsonNode result = Contract.assertHttp("POST", "/messages", response.statusCode(), response.headers(), response.body());
            assertEquals(202, response.statusCode());
            assertTrue(result.get("delivered").asInt() >= 1);
            JsonNode direct = bob.next("direct");
            assertEquals("jobs", direct.get("from").asText());
            assertEquals("report-42", direct.get("payload").get("job").asText());
        }
    }

    @Test
    void anAdminSeesWhoIsConnected() {
        try (WsClient alice = connect("alice")) {
            String bob = Peer.token(image, "bob");
            var response = Http.send(HttpRequest.newBuilder(image.http("/sessions"))
                                             .header("Authorization", "Bearer " + bob).GET().build());
            JsonNode list = Contract.assertHttp("GET", "/sessions", response.statusCode(), response.headers(), response.body());
            assertEquals(200, response.statusCode());
            boolean aliceListed = false;
            for (JsonNode user : list.get("users")) {
                aliceListed |= user.get("user").asText().equals("alice");
            }
            assertTrue(aliceListed, list.toString());
        }
    }

    @Test
    void aClientThatDropsAndResumesGetsWhatItMissedInOrder() {
        String token = Peer.token(image, "alice");
        WsClient dropped = WsClient.connect(image.ws("/?token=" + token));
        JsonNode welcome = dropped.next("welcome");
        dropped.abort();
        publish("{\"to\":\"alice\",\"payload\":\"missed-1\"}");
        publish("{\"payload\":\"missed-2\"}");

        try (WsClient resumed = WsClient.connect(image.ws(resume(token, since(Positions.of(welcome, "broadcast")),
                                                                 since(Positions.of(welcome, "user:alice")))))) {
            JsonNode recovered = resumed.next("welcome");
            assertTrue(recovered.at("/recovery/recovered").asBoolean(), "welcome " + recovered);
            assertEquals(2, recovered.at("/recovery/replayed").asInt(), "welcome " + recovered);
            assertEquals("missed-1", resumed.next("direct").get("payload").asText());
            assertEquals("missed-2", resumed.next("broadcast").get("payload").asText());
        }
    }

    private static void publish(String body) {
        var response = Http.send(HttpRequest.newBuilder(image.http("/messages"))
                                         .header("Authorization", "Bearer " + Peer.token(image, "jobs"))
                                         .header("Content-Type", "application/json")
                                         .POST(HttpRequest.BodyPublishers.ofString(body))
                                         .build());
        assertEquals(202, response.statusCode(), response.body());
    }

    private static WsClient connect(String user) {
        return Peer.connect(image, user).client();
    }
}
