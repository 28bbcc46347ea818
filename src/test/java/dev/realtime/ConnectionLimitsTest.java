package dev.realtime;

import java.io.DataInputStream;
import java.net.Socket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Peer;
import dev.realtime.support.RawHttp;
import dev.realtime.support.ServerFrames;
import dev.realtime.support.ServerFrames.Frame;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open WebSockets are capped in all (503) and per user (429), on the upgrade, with problem documents. */
class ConnectionLimitsTest {
    @Test
    void upToTheGlobalCapConnectionsAreAcceptedAndTheNextIs503() {
        try (TestServer server = TestServer.start(Map.of("MAX_CONNECTIONS", "2"))) {
            String alice = Peer.token(server, "alice");
            String bob = Peer.token(server, "bob");
            try (WsClient first = open(server, "alice"); WsClient second = open(server, "bob")) {
                assertRefused(server, bob, 503, "server_busy");

                second.closeNormally();
                Await.until(() -> server.sessions().size() == 1, () -> "the closed session is released");
                try (WsClient third = open(server, "bob")) {
                    assertEquals(2, server.sessions().size(), "room again after a close: welcomed");
                }
            }
        }
    }

    @Test
    void upToThePerUserCapAUserMayConnectAndTheNextIs429WhileOthersStillMay() {
        try (TestServer server = TestServer.start(Map.of("MAX_CONNECTIONS_PER_USER", "2"))) {
            String alice = Peer.token(server, "alice");
            try (WsClient first = open(server, "alice"); WsClient second = open(server, "alice")) {
                assertRefused(server, alice, 429, "too_many_connections");
                try (WsClient bob = open(server, "bob")) {
                    assertEquals(1, server.sessions().countOf("bob"));
                }
            }
        }
    }

    /**
     * A connection that ends without a close handshake (reset, end of stream, a protocol error the server
     * closed) gives its slot back at once: the user's very next handshakes are welcomed, never 429.
     */
    @Test
    void connectionsThatEndAbnormallyFreeTheirSlotsBeforeTheNextHandshake() throws Exception {
        try (TestServer server = TestServer.start(Map.of("MAX_CONNECTIONS_PER_USER", "3"))) {
            String alice = Peer.token(server, "alice");
            for (int round = 0; round < 10; round++) {
                Socket reset = RawHttp.silentWebSocket(server, "/?token=" + alice);
                Socket endOfStream = RawHttp.silentWebSocket(server, "/?token=" + alice);
                Socket protocolError = RawHttp.silentWebSocket(server, "/?token=" + alice);
                Await.until(() -> server.sessions().countOf("alice") == 3, () -> "three sessions registered");
                assertRefused(server, alice, 429, "too_many_connections");

                reset.setSoLinger(true, 0);
                reset.close();
                endOfStream.close();
                protocolError.getOutputStream().write(new byte[] {(byte) 0x83, (byte) 0x80, 1, 2, 3, 4}); // reserved opcode 3
                DataInputStream in = new DataInputStream(protocolError.getInputStream());
                Frame received = ServerFrames.read(in);
                while (received.opcode() != ServerFrames.CLOSE) {
                    received = ServerFrames.read(in);
                }
                assertEquals(1002, received.closeCode());
                // the client neither answers the close nor hangs up: its slot must be free all the same

                try (WsClient a = open(server, "alice"); WsClient b = open(server, "alice"); WsClient c = open(server, "alice")) {
                    assertEquals(3, server.sessions().countOf("alice"), "round " + round);
                }
                protocolError.close();
                Await.until(() -> server.sessions().countOf("alice") == 0, () -> "all closed");
            }
        }
    }

    private static WsClient open(TestServer server, String user) {
        return Peer.connect(server, user).client();
    }

    private static void assertRefused(TestServer server, String token, int status, String code) {
        var response = RawHttp.upgrade(server, "/?token=" + token, Map.of());
        JsonNode problem = Contract.assertHttp("GET", "/", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        assertTrue(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()) >= 1);
    }
}
