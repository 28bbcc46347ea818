package dev.realtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.realtime.support.Http;
import dev.realtime.support.RunningServer;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stopping tells every connected client to go away (1001) and waits, boundedly, for them. */
class GracefulStopTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest(Map.of("WS_DRAIN_TIMEOUT_SECONDS", "5"));

    @Test
    void drainingClosesEverySessionWith1001AndEmptiesTheRegistry() {
        String alice = Http.login(server, "alice", "alice-password");
        String bob = Http.login(server, "bob", "bob-password");
        try (WsClient a1 = WsClient.connect(server.ws("/?token=" + alice));
             WsClient a2 = WsClient.connect(server.ws("/?token=" + alice));
             WsClient b = WsClient.connect(server.ws("/?token=" + bob))) {
            a1.next("welcome");
            a2.next("welcome");
            b.next("welcome");

            int left = server.service().drainOnShutdown().drain();

            assertEquals(0, left);
            assertEquals(1001, a1.awaitClose());
            assertEquals(1001, a2.awaitClose());
            assertEquals(1001, b.awaitClose());
            assertEquals(0, server.sessions().size());
        }
    }

    @Test
    void aClientConnectingWhileDrainingIsToldToGoAwayAtOnce() {
        String alice = Http.login(server, "alice", "alice-password");
        server.service().drainOnShutdown().drain(); // nobody to wait for
        try (WsClient late = WsClient.connect(server.ws("/?token=" + alice))) {
            assertEquals(1001, late.awaitClose());
            assertEquals(0, server.sessions().size());
        }
    }
}
