package dev.realtime;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Http;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Connections that send nothing are cut after the idle timeout, without holding anyone else up. */
@ServerTest
class IdleConnectionTest {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("IDLE_CONNECTION_TIMEOUT", "PT2S",
                                               "IDLE_CONNECTION_PERIOD", "PT0.5S",
                                               "WS_PING_INTERVAL_SECONDS", "1"));
    }

    IdleConnectionTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void aClientThatConnectsAndSendsNothingIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            assertEquals(-1, readUntilClosed(socket, 10_000), "the server closes the connection");
        }
    }

    @Test
    void aRequestLineThatNeverEndsIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /?token=".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertEquals(-1, readUntilClosed(socket, 10_000), "the server closes the half-sent request line");
        }
    }

    @Test
    void anIdleButResponsiveWebSocketStaysOpenAndOthersAreServedMeanwhile() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", server.port());
             WsClient client = WsClient.connect(server.ws("/?token=" + Http.login(server, "alice", "alice-password")))) {
            client.next("welcome");
            Thread.sleep(3_500); // past the idle timeout: pings and their pongs keep it alive
            assertFalse(client.isClosed());
            client.send("{\"type\":\"echo\",\"id\":\"alive\",\"payload\":1}");
            assertEquals("alive", client.next("echo").get("id").asText());
        }
    }

    /** Reads and discards until end of stream; -1 when the server closed it, or fails after {@code millis}. */
    private static int readUntilClosed(Socket socket, int millis) throws Exception {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // an error response may come first; the close is what counts
            }
            return -1;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }
}
