package dev.realtime.ws.protocol;

import java.nio.charset.StandardCharsets;

import io.helidon.websocket.WsCloseCodes;

import static dev.realtime.ws.protocol.ProtocolViolation.invalidText;
import static dev.realtime.ws.protocol.ProtocolViolation.protocolError;

/** Close frame payloads (RFC 6455 5.5.1, 7.4): a two-byte status code, then a UTF-8 reason. */
final class CloseFrames {
    /** What a peer's close frame said; {@code 1005} (no status) when it had no payload. */
    record PeerClose(int code, String reason) {
        boolean hasCode() {
            return code != WsCloseCodes.NO_STATUS_CODE;
        }
    }

    /** Room for the reason in a control frame's 125 bytes, after the code. */
    private static final int MAX_REASON_BYTES = FrameReader.MAX_CONTROL_PAYLOAD - 2;

    private CloseFrames() {
    }

    /**
     * Whether a close frame may carry {@code code} (RFC 6455 7.4.1/7.4.2 and IANA's registry, as
     * browsers and {@code ws} apply it): 1000-1003 and 1007-1014 are defined; 1004 is reserved; 1005,
     * 1006 and 1015 only report local conditions; 1016-2999 are reserved; 3000-4999 are for libraries
     * and applications.
     */
    static boolean mayBeSent(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    static PeerClose parse(byte[] payload) throws ProtocolViolation {
        if (payload.length == 0) {
            return new PeerClose(WsCloseCodes.NO_STATUS_CODE, "");
        }
        if (payload.length == 1) {
            throw protocolError("A close frame's payload cannot be 1 byte");
        }
        int code = (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        if (!mayBeSent(code)) {
            throw protocolError("Close code " + code + " may not be sent");
        }
        if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
            throw invalidText("The close reason is not UTF-8");
        }
        return new PeerClose(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** A close frame's payload: the code and as much of the reason as fits, cut at a character boundary. */
    static byte[] payload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_REASON_BYTES);
        while (length < text.length && (text[length] & 0xC0) == 0x80) {
            length--; // do not cut a character in two
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return payload;
    }

    /** The answer to a peer's close: its own code echoed (RFC 6455 5.5.1), or nothing if it sent none. */
    static byte[] answer(PeerClose close) {
        return close.hasCode() ? payload(close.code(), "") : new byte[0];
    }
}
