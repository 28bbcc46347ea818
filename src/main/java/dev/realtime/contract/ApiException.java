package dev.realtime.contract;

/**
 * A failure the client caused and can be told about: an {@link ErrorCode} and a plain-words detail.
 * Thrown by handlers, turned into a problem document by {@code http.ProblemHandler} or into an
 * {@code error} message by the WebSocket listener.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterSeconds;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, 0);
    }

    /** @param retryAfterSeconds when the client may try again (a Retry-After header); 0 = not said */
    public ApiException(ErrorCode code, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
