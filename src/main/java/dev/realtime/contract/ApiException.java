package dev.realtime.contract;

/**
 * A failure the client caused and can be told about: an {@link ErrorCode} and a plain-words detail.
 * Thrown by handlers, turned into a problem document by {@code http.ProblemHandler} or into an
 * {@code error} message by the WebSocket listener.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
