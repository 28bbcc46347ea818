package dev.realtime.image;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

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
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the image joined by a real Redis: what reaches "other sessions" crosses
 * instances, and when Redis or an instance goes away nothing is lost silently.
 */
class ImageClusterIT {
    private static final Duration RECOVERY = Duration.ofSeconds(30);

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
        try (WsClient onA = WsClient.connect(a.ws("/?token=" + Http.login(a, "alice", "alice-password")));
             WsClient onB = WsClient.connect(b.ws("/?token=" + Http.login(a, "bob", "bob-password")))) {
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
    void aPublishToAReachesSessionsOnB() {
        try (WsClient bob = connect(b, "bob", "b")) {
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
            Await.until(RECOVERY, () -> status(a, "/observe/health/ready") == 204, () -> "a is ready again");
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

    private ImageUnderTest instance(String id) {
        return ImageUnderTest.startNew(Map.of("REDIS_URL", "redis://redis:6379",
                                              "INSTANCE_ID", id,
                                              "CLUSTER_HEARTBEAT_SECONDS", "1"), network);
    }

    private static WsClient connect(ServiceUnderTest instance, String user, String expectedInstance) {
        WsClient client = WsClient.connect(instance.ws("/?token=" + Http.login(instance, user, user + "-password")));
        assertEquals(expectedInstance, client.next("welcome").get("instance").asText());
        return client;
    }

    private static java.net.http.HttpResponse<String> publish(ServiceUnderTest instance, String body) {
        return Http.send(HttpRequest.newBuilder(instance.http("/messages"))
                                 .header("Authorization", "Bearer " + Http.login(instance, "jobs", "jobs-password"))
                                 .header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode sessions(ServiceUnderTest instance) {
        var response = Http.send(HttpRequest.newBuilder(instance.http("/sessions"))
                                         .header("Authorization", "Bearer " + Http.login(instance, "bob", "bob-password"))
                                         .GET().build());
        return Contract.assertHttp("GET", "/sessions", response.statusCode(), response.headers(), response.body());
    }

    private static int status(ServiceUnderTest instance, String path) {
        return Http.send(HttpRequest.newBuilder(instance.http(path)).GET().build()).statusCode();
    }
}
