package dev.realtime.contract;

import com.fasterxml.jackson.databind.JsonNode;

/** Field rules the two documents share: message ids and user names (asyncapi.yaml, openapi.yaml). */
public final class Fields {
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_USER_LENGTH = 128;

    private Fields() {
    }

    /**
     * A string of 1 to {@code max} characters. JSON Schema's {@code maxLength} counts characters
     * (code points), not Java's UTF-16 units, so an emoji counts once, not twice.
     */
    public static boolean isText(JsonNode value, int max) {
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            return false;
        }
        String text = value.asText();
        return text.codePointCount(0, text.length()) <= max;
    }

    /**
     * @throws ApiException {@code validation_failed} unless {@code to} is a user name ({@code UserName})
     */
    public static String userName(JsonNode to) {
        if (!isText(to, MAX_USER_LENGTH)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "'to' must be a user name of 1 to " + MAX_USER_LENGTH + " characters.");
        }
        return to.asText();
    }
}
