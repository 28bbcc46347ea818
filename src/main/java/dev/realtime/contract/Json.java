package dev.realtime.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper: strict RFC 8259 input (no comments, no trailing tokens), compact output. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // Deeply nested input must not exhaust the stack; 64 levels is plenty for any real payload.
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    // Jackson's default keeps ~16 KiB of buffers per thread, and every connection is a
                    // (long-lived, virtual) thread: 10,000 idle connections would hold 160 MB. One shared pool
                    // instead, bounded: parsing never blocks, so only as many parse at once as threads run.
                    .recyclerPool(JsonRecyclerPools.newBoundedPool(8 * Runtime.getRuntime().availableProcessors()))
                    .build())
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Echoed payloads must come back as sent: no decimal goes through a double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private Json() {
    }

    /**
     * @throws ApiException {@code malformed_json} when {@code text} is not one JSON value
     */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ApiException(ErrorCode.MALFORMED_JSON, "Empty input; a JSON value was expected.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
