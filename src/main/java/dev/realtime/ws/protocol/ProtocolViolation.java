package dev.realtime.ws.protocol;

import io.helidon.websocket.WsCloseCodes;

/** The peer broke RFC 6455: the connection is failed with {@link #closeCode()}. */
final class ProtocolViolation extends Exception {
    private final int closeCode;

    private ProtocolViolation(int closeCode, String reason) {
        // No stack trace: a violation is an expected outcome of bad input, not a bug to locate.
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    /** 1002: a framing rule was broken. */
    static ProtocolViolation protocolError(String reason) {
        return new ProtocolViolation(WsCloseCodes.PROTOCOL_ERROR, reason);
    }

    /** 1007: text (a message or a close reason) that is not UTF-8. */
    static ProtocolViolation invalidText(String reason) {
        return new ProtocolViolation(WsCloseCodes.NOT_CONSISTENT, reason);
    }

    /** 1009: a message over the limit. */
    static ProtocolViolation tooBig(String reason) {
        return new ProtocolViolation(WsCloseCodes.TOO_BIG, reason);
    }

    int closeCode() {
        return closeCode;
    }

    /** The reason as it goes into the close frame. */
    String reason() {
        return getMessage();
    }
}
