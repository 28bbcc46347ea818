package dev.realtime.image;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.Peer;
import dev.realtime.support.Positions;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.WsClient;

import static dev.realtime.support.Positions.resume;
import static dev.realtime.support.Positions.since;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the image joined by a real Redis: what reaches "other sessions" crosses
 * instances, and when Redis or an instance goes away nothing is lost silently.
 */
class ImageClusterIT {
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private Network network;
    private GenericContainer<?> redis;
    private ImageUnderTest a;
    private ImageUnderTest b;

    @BeforeEach
    void startCluster() {
        network = Network.newNetwork();
        redis = new GenericContainer<>("redis:7")
                .withNetwork(network)
                .withNetworkAliases("redis")
                .withExposedPorts(6379)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        redis.start();
        a = instance("a");
        b = instance("b");
    }

    @AfterEach
    void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[] {b, a, redis::stop, network::close}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort: the next container must still be stopped
            }
        }
    }

    @Test
    void eachWelcomeNamesItsInstance() {
        try (WsClient onA = Peer.open(a, "alice");
             WsClient onB = WsClient.connect(b.ws("/?token=" + Peer.token(a, "bob")))) {
            assertEquals("a", onA.next("welcome").get("instance").asText());
            assertEquals("b", onB.next("welcome").get("instance").asText(), "a token from a is good on b");
        }
    }

    @Test
    void aBroadcastFromAClientOnAReachesAClientOnB() {
        try (WsClient alice = connect(a, "alice", "a"); WsClient bob = connect(b, "bob", "b")) {
            alice.send("{\"type\":\"broadcast\",\"id\":\"x1\",\"payload\":\"across\"}");
            JsonNode atBob = bob.next("broadcast");
            assertEquals("alice", atBob.get("from").asText());
            assertEquals("across", atBob.get("payload").asText());
            assertEquals("broadcast", alice.next().get("type").asText());
            JsonNode ack = alice.next("ack");
            assertEquals(2, ack.get("delivered").asInt(), "alice's session on a and bob's on b: " + ack);
            assertTrue(ack.path("degraded").isMissingNode(), ack.toString());
        }
    }

    @Test
    void aDirectMessageReachesAUserWhoseOnlySessionIsOnTheOtherInstance() {
        try (WsClient alice = connect(a, "alice", "a"); WsClient bob = connect(b, "bob", "b")) {
            alice.send("{\"type\":\"direct\",\"id\":\"d1\",\"to\":\"bob\",\"payload\":{\"n\":1}}");
            assertEquals("alice", bob.next("direct").get("from").asText());
            assertEquals(1, alice.next("ack").get("delivered").asInt());
        }
    }

    @Test
    void messagesSentTogetherToTwoStreamsAreAllAcknowledgedAndReachBInOrderWithConsecutiveOffsetsAndInTheSharedHistory() {
        int each = 80; // 160 messages in one go: within the session's burst, and many queue while one batch is out
        String bobToken = Peer.token(a, "bob");
        try (WsClient alice = connect(a, "alice", "a"); WsClient bob = connect(b, "bob", "b")) {
            for (int i = 0; i < each; i++) {
                alice.send("{\"type\":\"broadcast\",\"id\":\"b" + i + "\",\"payload\":" + i + "}");
                alice.send("{\"type\":\"direct\",\"id\":\"d" + i + "\",\"to\":\"bob\",\"payload\":" + i + "}");
            }
            Map<String, List<JsonNode>> atBob = new HashMap<>();
            for (int i = 0; i < 2 * each; i++) {
                JsonNode message = bob.next();
                atBob.computeIfAbsent(message.get("type").asText(), type -> new ArrayList<>()).add(message);
            }
            for (String type : List.of("broadcast", "direct")) {
                List<JsonNode> got = atBob.getOrDefault(type, List.of());
                assertEquals(each, got.size(), type + "s at bob: " + atBob.keySet());
                for (int i = 0; i < each; i++) {
                    assertEquals(i, got.get(i).get("payload").asInt(), type + " " + i + " in the order sent");
                    assertEquals(got.getFirst().get("offset").asLong() + i, got.get(i).get("offset").asLong(),
                                 type + " " + i + ": one offset after the other");
                    assertEquals(got.getFirst().get("epoch").asText(), got.get(i).get("epoch").asText(), type + " " + i);
                }
            }
            int acks = 0;
            for (int i = 0; i < 3 * each; i++) { // alice's own copy of each broadcast, and an ack for every message
                JsonNode message = alice.next();
                if (message.get("type").asText().equals("ack")) {
                    acks++;
                    assertTrue(message.get("delivered").asInt() >= 1, message.toString());
                    assertTrue(message.path("degraded").isMissingNode(), message.toString());
                }
            }
            assertEquals(2 * each, acks);

            JsonNode first = atBob.get("broadcast").getFirst();
            JsonNode firstDirect = atBob.get("direct").getFirst();
            try (WsClient resumed = WsClient.connect(a.ws(resume(bobToken, since(first), since(firstDirect))))) {
                JsonNode welcome = resumed.next("welcome");
                assertTrue(welcome.at("/recovery/recovered").asBoolean(), "welcome " + welcome);
                assertEquals(2 * (each - 1), welcome.at("/recovery/replayed").asInt(), "all of them kept in Redis: " + welcome);
            }
        }
    }

    @Test
    void whileRedisHangsMessagesSentTogetherAreAnsweredDegradedAndEachBatchWaitsOutOneTimeoutNotOnePerMessage() {
        int messages = 30;
        try (WsClient alice = connect(a, "alice", "a")) {
            redis.getDockerClient().pauseContainerCmd(redis.getContainerId()).exec(); // connections open, no answers
            try {
                long failedBefore = backplaneFailures(a);
                for (int i = 0; i < messages; i++) {
                    alice.send("{\"type\":\"broadcast\",\"id\":\"h" + i + "\",\"payload\":" + i + "}");
                }
                int acks = 0;
                for (int i = 0; i < 2 * messages; i++) { // alice's own copy of each, delivered here, and its ack
                    JsonNode message = alice.next();
                    if (message.get("type").asText().equals("ack")) {
                        acks++;
                        assertTrue(message.get("degraded").asBoolean(), "the ack says b was not reached: " + message);
                    }
                }
                assertEquals(messages, acks);
                long failed = backplaneFailures(a) - failedBefore;
                // Each Redis call that waits out the command timeout counts once: a batch, not every message in it.
                assertTrue(failed >= 1 && failed < messages / 2, failed + " failed Redis calls for " + messages + " messages");
            } finally {
                redis.getDockerClient().unpauseContainerCmd(redis.getContainerId()).exec();
            }
        }
    }

    @Test
    void aPublishToAReachesSessionsOnB() throws InterruptedException {
        try (WsClient bob = connect(b, "bob", "b")) {
            // delivered counts from a's view of b's presence, which may count a join twice for up to one heartbeat
            // (the event and a rebuild that read it too: ClusterView); after a heartbeat it is exact.
            Thread.sleep(HEARTBEAT.multipliedBy(2).toMillis());
            var response = publish(a, "{\"to\":\"bob\",\"payload\":\"from a job\"}");
            JsonNode result = Contract.assertHttp("POST", "/messages", response.statusCode(), response.headers(), response.body());
            assertEquals(1, result.get("delivered").asInt());
            assertEquals("jobs", bob.next("direct").get("from").asText());
        }
    }

    @Test
    void sessionsListsTheSessionsOfBothInstances() {
        try (WsClient alice = connect(a, "alice", "a"); WsClient bob = connect(b, "bob", "b")) {
            Await.until(() -> sessions(a).get("total").asInt() == 2, () -> "both sessions listed by a: " + sessions(a));
            JsonNode list = sessions(a);
            assertEquals("[\"a\",\"b\"]", list.get("instances").toString());
            assertEquals("b", list.get("users").get(1).get("connections").get(0).get("instance").asText(), list.toString());
        }
    }

    @Test
    void withRedisDownEachInstanceServesItsOwnSessionsAndSaysWhatItCouldNotReachThenRecovers() {
        try (WsClient alice = connect(a, "alice", "a"); WsClient carolOnA = connect(a, "demo", "a");
             WsClient bob = connect(b, "bob", "b")) {
            redis.getDockerClient().stopContainerCmd(redis.getContainerId()).exec();

            alice.send("{\"type\":\"broadcast\",\"id\":\"local\",\"payload\":1}");
            assertEquals(1, carolOnA.next("broadcast").get("payload").asInt(), "local delivery goes on");
            assertEquals("broadcast", alice.next().get("type").asText());
            JsonNode ack = alice.next("ack");
            assertEquals(2, ack.get("delivered").asInt());
            assertTrue(ack.get("degraded").asBoolean(), "the ack says b was not reached: " + ack);

            alice.send("{\"type\":\"direct\",\"id\":\"far\",\"to\":\"bob\",\"payload\":2}");
            JsonNode error = alice.next("error");
            assertEquals("backplane_unavailable", error.get("code").asText());
            assertEquals("far", error.get("id").asText());

            var published = publish(a, "{\"payload\":3}");
            JsonNode result = Contract.assertHttp("POST", "/messages", published.statusCode(), published.headers(), published.body());
            assertTrue(result.get("degraded").asBoolean(), result.toString());
            carolOnA.next("broadcast");
            alice.next("broadcast");

            var ready = Http.send(HttpRequest.newBuilder(a.http("/observe/health/ready")).GET().build());
            Contract.assertHttp("GET", "/observe/health/ready", ready.statusCode(), ready.headers(), ready.body());
            assertEquals(503, ready.statusCode(), "readiness reports the degraded state");

            bob.send("{\"type\":\"echo\",\"id\":\"b-alone\",\"payload\":null}");
            assertEquals("b-alone", bob.next("echo").get("id").asText(), "b serves its own sessions");

            redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
            // Both: b's readiness includes its subscription to the bus, which Lettuce renews on its own back-off, maybe
            // seconds after a's; a message published before it is back does not reach b's sessions live.
            Await.until(RECOVERY, () -> status(a, "/observe/health/ready") == 204 && status(b, "/observe/health/ready") == 204,
                        () -> "a and b are ready again");
            Await.until(RECOVERY, () -> sessions(a).get("total").asInt() == 3, () -> "b's presence is back: " + sessions(a));
            alice.send("{\"type\":\"direct\",\"id\":\"again\",\"to\":\"bob\",\"payload\":4}");
            assertEquals(4, bob.next("direct").get("payload").asInt(), "cross-instance delivery resumed");
            JsonNode resumed = alice.next("ack");
            assertEquals(1, resumed.get("delivered").asInt());
        }
    }

    @Test
    void whenAnInstanceDiesItsSessionsLeavePresenceAndTheOthersAreUnaffected() {
        try (WsClient alice = connect(a, "alice", "a"); WsClient bob = connect(b, "bob", "b")) {
            Await.until(() -> sessions(a).get("total").asInt() == 2, () -> "both listed");
            b.container().getDockerClient().killContainerCmd(b.container().getContainerId()).exec();

            Await.until(RECOVERY, () -> sessions(a).get("total").asInt() == 1, () -> "b's session gone: " + sessions(a));
            assertEquals("[\"a\"]", sessions(a).get("instances").toString());
            alice.send("{\"type\":\"direct\",\"id\":\"gone\",\"to\":\"bob\",\"payload\":0}");
            assertEquals("user_not_connected", alice.next("error").get("code").asText());
            alice.send("{\"type\":\"echo\",\"id\":\"still\",\"payload\":0}");
            assertEquals("still", alice.next("echo").get("id").asText());
        }
    }

    @Test
    void aClientThatDropsOnAResumesOnBWithExactlyWhatItMissedThenLiveMessages() {
        String token = Peer.token(a, "alice");
        WsClient onA = WsClient.connect(a.ws("/?token=" + token));
        JsonNode welcome = onA.next("welcome");
        assertEquals(202, publish(a, "{\"payload\":\"seen\"}").statusCode());
        JsonNode seen = onA.next("broadcast");
        onA.abort();

        assertEquals(202, publish(b, "{\"payload\":\"m1\"}").statusCode());
        assertEquals(202, publish(a, "{\"to\":\"alice\",\"payload\":\"m2\"}").statusCode());
        assertEquals(202, publish(b, "{\"to\":\"alice\",\"payload\":\"m3\"}").statusCode());
        assertEquals(202, publish(a, "{\"payload\":\"m4\"}").statusCode());

        try (WsClient onB = WsClient.connect(b.ws(resume(token, since(seen), since(Positions.of(welcome, "user:alice")))))) {
            JsonNode resumed = onB.next("welcome");
            assertEquals("b", resumed.get("instance").asText());
            assertTrue(resumed.at("/recovery/recovered").asBoolean(), "welcome " + resumed);
            assertEquals(4, resumed.at("/recovery/replayed").asInt(), "welcome " + resumed);
            for (String expected : new String[] {"m1", "m2", "m3", "m4"}) {
                assertEquals(expected, onB.next().get("payload").asText(), "in the order they were published");
            }
            assertEquals(202, publish(a, "{\"payload\":\"live\"}").statusCode());
            JsonNode live = onB.next("broadcast");
            assertEquals("live", live.get("payload").asText());
            assertEquals(seen.get("offset").asLong() + 3, live.get("offset").asLong(), "one stream across the instances");
        }
    }

    @Test
    void aClientHoppingBetweenInstancesUnderPublishersOnBothMissesNothingAndGetsNothingTwice() throws InterruptedException {
        String token = Peer.token(a, "alice");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread publisher = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                int n = sent.incrementAndGet();
                publish(n % 2 == 0 ? a : b, "{\"payload\":" + n + "}");
            }
        });
        List<Long> offsets = new ArrayList<>();
        WsClient client = WsClient.connect(a.ws("/?token=" + token));
        client.next("welcome");
        JsonNode last = null;
        ServiceUnderTest[] hops = {a, b, a, b};
        for (int hop = 0; hop < hops.length; hop++) {
            if (hop > 0) {
                client = WsClient.connect(hops[hop].ws(resume(token, since(last))));
                JsonNode welcome = client.next("welcome");
                assertTrue(welcome.at("/recovery/recovered").asBoolean(), "hop " + hop + ": " + welcome);
            }
            for (int i = 0; i < 40; i++) {
                last = client.next("broadcast");
                offsets.add(last.get("offset").asLong());
            }
            client.abort();
        }
        running.set(false);
        publisher.join(Duration.ofSeconds(10));
        for (int i = 1; i < offsets.size(); i++) {
            assertEquals(offsets.get(i - 1) + 1, offsets.get(i), "no gap and no duplicate at " + i + ": " + offsets);
        }
    }

    @Test
    void redisRestartedBetweenADropAndAResumeLeavesNoSilentGap() {
        String token = Peer.token(a, "alice");
        JsonNode seen = seenThenDropped(token);

        redis.getDockerClient().stopContainerCmd(redis.getContainerId()).exec();
        var down = publish(a, "{\"payload\":\"while down\"}");
        JsonNode whileDown = Contract.assertHttp("POST", "/messages", down.statusCode(), down.headers(), down.body());
        assertTrue(whileDown.get("degraded").asBoolean(), "said, not hidden: " + whileDown);
        redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
        Await.until(RECOVERY, () -> status(a, "/observe/health/ready") == 204 && status(b, "/observe/health/ready") == 204,
                    () -> "both ready again");
        assertEquals(202, publish(a, "{\"payload\":\"after\"}").statusCode());

        try (WsClient onB = WsClient.connect(b.ws(resume(token, since(seen))))) {
            JsonNode welcome = onB.next("welcome");
            assertFalse(welcome.at("/recovery/recovered").asBoolean(),
                        "messages published while Redis was down are not in the shared history: " + welcome);
            assertEquals("epoch_changed", welcome.at("/recovery/streams/0/reason").asText(), "welcome " + welcome);
        }
    }

    @Test
    void withRedisDownAResumeSaysHistoryUnavailableAndLiveDeliveryGoesOn() {
        String token = Peer.token(a, "alice");
        JsonNode seen = seenThenDropped(token);

        redis.getDockerClient().stopContainerCmd(redis.getContainerId()).exec();
        try (WsClient resumed = WsClient.connect(a.ws(resume(token, since(seen))))) {
            JsonNode welcome = resumed.next("welcome");
            assertFalse(welcome.at("/recovery/recovered").asBoolean(), "welcome " + welcome);
            assertEquals("history_unavailable", welcome.at("/recovery/streams/0/reason").asText(), "welcome " + welcome);
            publish(a, "{\"payload\":\"live\"}");
            assertEquals("live", resumed.next("broadcast").get("payload").asText(), "live delivery goes on, degraded");
        } finally {
            redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
        }
    }

    /** A session of alice on a that gets one broadcast and then drops: that broadcast. */
    private JsonNode seenThenDropped(String token) {
        WsClient onA = WsClient.connect(a.ws("/?token=" + token));
        onA.next("welcome");
        assertEquals(202, publish(a, "{\"payload\":\"seen\"}").statusCode());
        JsonNode seen = onA.next("broadcast");
        onA.abort();
        return seen;
    }

    private ImageUnderTest instance(String id) {
        return ImageUnderTest.startNew(Map.of("REDIS_URL", "redis://redis:6379",
                                              "INSTANCE_ID", id,
                                              "CLUSTER_HEARTBEAT_SECONDS", String.valueOf(HEARTBEAT.toSeconds())), network);
    }

    private static WsClient connect(ServiceUnderTest instance, String user, String expectedInstance) {
        Peer peer = Peer.connect(instance, user);
        assertEquals(expectedInstance, peer.welcome().get("instance").asText());
        return peer.client();
    }

    private static java.net.http.HttpResponse<String> publish(ServiceUnderTest instance, String body) {
        return Http.send(HttpRequest.newBuilder(instance.http("/messages"))
                                 .header("Authorization", "Bearer " + Peer.token(instance, "jobs"))
                                 .header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode sessions(ServiceUnderTest instance) {
        var response = Http.send(HttpRequest.newBuilder(instance.http("/sessions"))
                                         .header("Authorization", "Bearer " + Peer.token(instance, "bob"))
                                         .GET().build());
        return Contract.assertHttp("GET", "/sessions", response.statusCode(), response.headers(), response.body());
    }

    private static long backplaneFailures(ServiceUnderTest instance) {
        var response = Http.send(HttpRequest.newBuilder(instance.http("/observe/metrics")).header("Accept", "application/json").GET().build());
        JsonNode metrics = Contract.assertHttp("GET", "/observe/metrics", response.statusCode(), response.headers(), response.body());
        return metrics.path("application").path("realtime.backplane.failures").asLong();
    }

    private static int status(ServiceUnderTest instance, String path) {
        return Http.send(HttpRequest.newBuilder(instance.http(path)).GET().build()).statusCode();
    }
}
