package dev.realtime;

import java.io.DataInputStream;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.ServerFrames;
import dev.realtime.support.ServerFrames.Frame;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;
import dev.realtime.ws.ConnectedSession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server pings; peers that vanish or stop answering leave the registry within two intervals. */
class KeepaliveTest {
    private static TestServer server;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("WS_PING_INTERVAL_SECONDS", "1"));
        token = Http.login(server, "alice", "alice-password");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPeerThatAnswersPingsStaysConnected() throws Exception {
        try (WsClient client = WsClient.connect(server.ws("/?token=" + token))) {
            String id = client.next("welcome").get("sessionId").asText();
            Thread.sleep(3_500);
            assertFalse(client.isClosed());
            assertTrue(server.sessions().all().stream().anyMatch(s -> s.id().equals(id)));
            client.send("{\"type\":\"echo\",\"id\":\"still-here\",\"payload\":1}");
            assertEquals("still-here", client.next("echo").get("id").asText());
        }
    }

    @Test
    void aPeerThatVanishesWithoutACloseFrameIsDropped() throws Exception {
        var before = sessionIds();
        Socket socket = RawHttp.silentWebSocket(server, "/?token=" + token);
        String id = awaitNewSession(before);
        socket.close();
        Await.until(() -> server.sessions().all().stream().noneMatch(s -> s.id().equals(id)),
                    () -> "vanished session " + id + " still registered");
    }

    @Test
    void aPeerThatNeverAnswersPingsIsDropped() throws Exception {
        var before = sessionIds();
        try (Socket socket = RawHttp.silentWebSocket(server, "/?token=" + token)) {
            String id = awaitNewSession(before);
            Await.until(() -> server.sessions().all().stream().noneMatch(s -> s.id().equals(id)),
                        () -> "silent session " + id + " still registered");
        }
    }

    /**
     * A peer that neither reads nor answers pings may have a frame stuck in the socket, so the server cannot
     * count on it taking the 1001: it is cut off within a grace period after its close frame.
     */
    @Test
    void aPeerThatNeverAnswersPingsIsSentA1001AndThenHungUpOn() throws Exception {
        try (Socket socket = RawHttp.silentWebSocket(server, "/?token=" + token)) {
            socket.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Contract.assertServerMessage(ServerFrames.read(in).text());
            Frame frame = ServerFrames.read(in);
            while (frame.opcode() == ServerFrames.PING) {
                frame = ServerFrames.read(in);
            }
            assertEquals(1001, frame.closeCode(), "a peer that stops answering pings is closed with 1001 (going away)");
            Contract.assertDocumentedCloseCode(frame.closeCode());
            ServerFrames.assertHangsUp(in);
        }
    }

    private static Set<String> sessionIds() {
        return server.sessions().all().stream().map(ConnectedSession::id).collect(Collectors.toSet());
    }

    private static String awaitNewSession(Set<String> before) {
        Await.until(() -> !newIds(before).isEmpty(), () -> "no new session");
        return newIds(before).iterator().next();
    }

    private static Set<String> newIds(Set<String> before) {
        Set<String> now = sessionIds();
        now.removeAll(before);
        return now;
    }
}
