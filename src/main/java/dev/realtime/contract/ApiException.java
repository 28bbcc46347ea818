package dev.realtime.contract;

/**
 * A failure the client caused and can be told about: an {@link ErrorCode} and a plain-words detail.
 * Thrown by handlers, turned into a problem document by {@code http.Problems} (through the routing's error handler) or into an
 * {@code error} message by the WebSocket listener.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterSeconds;

    /** @param detail what went wrong and what to do, in plain words, for the client */
    public ApiException(ErrorCode code, String detail) {
        this(code, detail, 0);
    }

    /** @param retryAfterSeconds when the client may try again (a Retry-After header); 0 = not said */
    public ApiException(ErrorCode code, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When the client may try again, in seconds; 0 when not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The contract's error code. */
    public ErrorCode code() {
        return code;
    }

    /** What went wrong, for the client. */
    public String detail() {
        return getMessage();
    }
}
