package dev.realtime.ws.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.helidon.websocket.WsSession;

/**
 * Text messages as UTF-8 bytes, for applications that would only decode a message to parse it and encode
 * their answer again: Helidon's {@code WsListener} and {@code WsSession} speak {@code String}, which costs
 * two passes over every byte of a 64 KiB message in each direction.
 */
public final class Utf8Text {
    private Utf8Text() {
    }

    /**
     * Implemented by a {@link io.helidon.websocket.WsListener} that takes whole text messages as bytes: the engine
     * then calls {@link #onText} instead of {@code onMessage(WsSession, String, boolean)}.
     */
    public interface Listener {
        /**
         * @param utf8 the message, valid UTF-8 (the engine checked it), in {@code utf8[offset, offset+length)};
         *             the array is the engine's and is reused once this returns: copy what must outlive the call
         */
        void onText(WsSession session, byte[] utf8, int offset, int length);
    }

    /**
     * Sends a prepared text message: the same frame may go to any number of sessions. On a session of another
     * engine, its payload is sent as a {@code String}.
     */
    public static void send(WsSession session, TextFrame frame) {
        if (session instanceof WebSocketConnection connection) {
            connection.send(frame);
        } else {
            session.send(new String(frame.payload(), StandardCharsets.UTF_8), true);
        }
    }

    /** As {@link #send(WsSession, TextFrame)} for each frame in order, small ones combined into fewer writes. */
    public static void send(WsSession session, List<TextFrame> frames) {
        if (session instanceof WebSocketConnection connection) {
            connection.send(frames);
        } else {
            frames.forEach(frame -> send(session, frame));
        }
    }
}
