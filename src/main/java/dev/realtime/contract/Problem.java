package dev.realtime.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document with this service's {@code code} extension member
 * ({@code Problem} in openapi.yaml).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String code) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The problem document of {@code code}, about the request path {@code instance}. */
    public static Problem of(ErrorCode code, String detail, String instance) {
        return new Problem(code.problemType(), code.title(), code.status().code(), detail, instance, code.wireName());
    }
}
