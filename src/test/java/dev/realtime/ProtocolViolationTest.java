package dev.realtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.RunningServer;
import dev.realtime.support.ServerFrames;
import dev.realtime.support.ServerFrames.Frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Frames that break RFC 6455 close the connection with 1002 (a raw peer, since real clients cannot send them). */
class ProtocolViolationTest {
    @RegisterExtension
    static final RunningServer server = RunningServer.perClass();

    @Test
    void anUnmaskedClientFrameIsClosedWith1002() throws Exception {
        // FIN + text opcode, mask bit clear: clients must mask (RFC 6455 5.1)
        assertClosedWith(1002, new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
    }

    @Test
    void aFrameWithReservedBitsSetIsClosedWith1002() throws Exception {
        // FIN + RSV1 + text, masked, no extension negotiated (RFC 6455 5.2)
        assertClosedWith(1002, new byte[] {(byte) 0xC1, (byte) 0x80, 1, 2, 3, 4});
    }

    private static void assertClosedWith(int expected, byte[] frame) throws IOException {
        String token = Http.login(server, "alice", "alice-password");
        try (Socket socket = RawHttp.silentWebSocket(server.port(), "/?token=" + token)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            // the welcome (and anything else) before the close: text frames from the server, skipped
            Frame received = ServerFrames.read(in);
            while (received.opcode() != ServerFrames.CLOSE) {
                received = ServerFrames.read(in);
            }
            Contract.assertDocumentedCloseCode(received.closeCode());
            assertEquals(expected, received.closeCode());
        }
    }
}
