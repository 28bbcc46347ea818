package dev.realtime;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Peer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each session may send WS_MESSAGES_PER_SECOND (bursts of twice that); over it: rate_limited, then 1008. */
@ServerTest
class MessageRateLimitTest {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("WS_MESSAGES_PER_SECOND", "5",
                                               "WS_RATE_LIMIT_STRIKES", "3"));
    }

    MessageRateLimitTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void aBurstUpToTwiceTheRateIsAnsweredAndTheNextMessageIsRateLimitedButTheConnectionStays() {
        try (WsClient client = connect()) {
            for (int i = 0; i < 10; i++) {
                client.send(echo("burst-" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("burst-" + i, client.next("echo").get("id").asText());
            }
            client.send(echo("one-too-many"));
            JsonNode error = client.next("error");
            assertEquals("rate_limited", error.get("code").asText());
            assertEquals("one-too-many", error.get("id").asText());
        }
    }

    @Test
    void aClientThatKeepsGoingOverTheRateIsClosedWith1008() {
        try (WsClient client = connect()) {
            for (int i = 0; i < 13; i++) {
                client.send(echo("flood-" + i));
            }
            assertEquals(1008, client.awaitClose());
        }
    }

    @Test
    void aClientThatStaysUnderTheRateIsNeverLimited() throws Exception {
        try (WsClient client = connect()) {
            for (int i = 0; i < 15; i++) {
                client.send(echo("steady-" + i));
                assertEquals("steady-" + i, client.next("echo").get("id").asText());
                Thread.sleep(250); // 4 per second, under the 5 allowed
            }
        }
    }

    private WsClient connect() {
        return Peer.connect(server, "alice").client();
    }

    private static String echo(String id) {
        return "{\"type\":\"echo\",\"id\":\"" + id + "\",\"payload\":null}";
    }
}
