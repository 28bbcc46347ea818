package dev.realtime.verify;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;

import dev.realtime.verify.RawHttp.Endpoint;

/**
 * A WebSocket peer on a raw socket, for the frames the JDK client will not send (unmasked, invalid UTF-8):
 * it upgrades, writes the bytes given, and reads the server's frames up to its close frame.
 */
final class RawWebSocket {
    private static final int CLOSE = 0x8;

    private RawWebSocket() {
    }

    /**
     * Upgrades {@code pathAndQuery}, sends {@code frame} as it is, and returns the code of the server's close
     * frame (-1 for a close frame without a code).
     */
    static int closeCodeAfter(Endpoint endpoint, String pathAndQuery, byte[] frame) throws IOException {
        try (Socket socket = endpoint.connect()) {
            RawHttp.write(socket, endpoint, "GET", pathAndQuery, RawHttp.upgradeHeaders(Map.of()), null);
            var in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            RawHttp.Response head = RawHttp.read(in);
            if (head.status() != 101) {
                throw new IOException("upgrade refused: " + head.status() + " " + head.body());
            }
            socket.getOutputStream().write(frame);
            socket.getOutputStream().flush();
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                long length = in.readUnsignedByte() & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes(Math.toIntExact(length));
                if (opcode == CLOSE) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
                }
            }
        }
    }
}
