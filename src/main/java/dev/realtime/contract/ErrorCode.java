package dev.realtime.contract;

import io.helidon.http.Status;

/**
 * The stable error codes of the contract ({@code ErrorCode} in openapi.yaml, the {@code error}
 * message's {@code code} in asyncapi.yaml). Each knows the HTTP status and title it maps to,
 * so that the mapping lives in exactly one place.
 */
public enum ErrorCode {
    MALFORMED_JSON(Status.BAD_REQUEST_400, "Malformed JSON"),
    VALIDATION_FAILED(Status.BAD_REQUEST_400, "Validation failed"),
    BAD_REQUEST(Status.BAD_REQUEST_400, "Bad request"),
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE_415, "Unsupported media type"),
    PAYLOAD_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413, "Payload too large"),
    METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED_405, "Method not allowed"),
    NOT_FOUND(Status.NOT_FOUND_404, "Not found"),
    INVALID_CREDENTIALS(Status.UNAUTHORIZED_401, "Invalid credentials"),
    MISSING_TOKEN(Status.UNAUTHORIZED_401, "Missing token"),
    INVALID_TOKEN(Status.UNAUTHORIZED_401, "Invalid token"),
    TOKEN_EXPIRED(Status.UNAUTHORIZED_401, "Token expired"),
    ORIGIN_NOT_ALLOWED(Status.FORBIDDEN_403, "Origin not allowed"),
    FORBIDDEN(Status.FORBIDDEN_403, "Forbidden"),
    USER_NOT_CONNECTED(Status.NOT_FOUND_404, "User not connected"),
    RATE_LIMITED(Status.TOO_MANY_REQUESTS_429, "Too many requests"),
    TOO_MANY_CONNECTIONS(Status.TOO_MANY_REQUESTS_429, "Too many connections"),
    SERVER_BUSY(Status.SERVICE_UNAVAILABLE_503, "Server busy"),
    BACKPLANE_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, "Backplane unavailable"),
    UPGRADE_REQUIRED(Status.UPGRADE_REQUIRED_426, "Upgrade required"),
    UNKNOWN_TYPE(Status.BAD_REQUEST_400, "Unknown message type"),
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR_500, "Internal error");

    private final Status status;
    private final String title;

    ErrorCode(Status status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The code as it appears on the wire, e.g. {@code invalid_credentials}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The HTTP status it is answered with. */
    public Status status() {
        return status;
    }

    /** The problem document's title. */
    public String title() {
        return title;
    }

    /** The RFC 9457 problem type URI of this code. */
    public String problemType() {
        return "urn:realtime:problem:" + wireName();
    }

    /** The code for an error the server raised by status alone, with no code of ours attached. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
