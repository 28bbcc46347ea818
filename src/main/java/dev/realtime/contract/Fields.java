package dev.realtime.contract;

import java.util.Collection;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Field rules the two documents share: message ids, user names and tokens, the members an object may
 * and must have (asyncapi.yaml, openapi.yaml).
 */
public final class Fields {
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_USER_LENGTH = 128;
    /** asyncapi.yaml {@code Refresh.token}: far above any token this service issues. */
    public static final int MAX_TOKEN_LENGTH = 8192;

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
     * @throws ApiException {@code validation_failed} unless {@code value} is a string of 1 to {@code max} characters
     */
    public static String text(JsonNode value, String member, int max) {
        if (!isText(value, max)) {
            throw invalid("'" + member + "' must be a string of 1 to " + max + " characters.");
        }
        return value.asText();
    }

    /**
     * @throws ApiException {@code validation_failed} unless {@code to} is a user name ({@code UserName})
     */
    public static String userName(JsonNode to) {
        if (!isText(to, MAX_USER_LENGTH)) {
            throw invalid("'to' must be a user name of 1 to " + MAX_USER_LENGTH + " characters.");
        }
        return to.asText();
    }

    /**
     * The documents close their objects ({@code additionalProperties: false}): a member {@code allowed} does not
     * accept is refused, {@code unexpected} saying which.
     *
     * @throws ApiException {@code validation_failed} for the first member of {@code object} not {@code allowed}
     */
    public static void onlyMembers(JsonNode object, Predicate<String> allowed, Function<String, String> unexpected) {
        var names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.test(name)) {
                throw invalid(unexpected.apply(name));
            }
        }
    }

    /**
     * @throws ApiException {@code validation_failed} for the first of {@code required} that {@code object} lacks,
     *                      {@code missing} saying which
     */
    public static void requiredMembers(JsonNode object, Collection<String> required, Function<String, String> missing) {
        for (String member : required) {
            if (!object.has(member)) {
                throw invalid(missing.apply(member));
            }
        }
    }

    /** {@code degraded} is in a reply only when it is true: null leaves it out. */
    public static Boolean degraded(boolean degraded) {
        return degraded ? Boolean.TRUE : null;
    }

    private static ApiException invalid(String detail) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, detail);
    }
}
