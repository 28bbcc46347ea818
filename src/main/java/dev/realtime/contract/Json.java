package dev.realtime.contract;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

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

    /** Reads one value where the parser stands; what follows is the caller's to check. */
    private static final ObjectReader VALUE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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

    /**
     * Reads what this service wrote itself (a message between instances).
     *
     * @throws ApiException {@code malformed_json} when {@code text} is not a {@code type}
     */
    public static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /**
     * As {@link #parse(String)}, from UTF-8 bytes; when the value is an object, its member {@code rawMember}
     * is checked like the rest but kept as the bytes it came in ({@link #raw}) instead of a tree.
     *
     * @throws ApiException {@code malformed_json} when the bytes are not one JSON value
     */
    public static JsonNode parse(byte[] utf8, int offset, int length, String rawMember) {
        try (JsonParser parser = MAPPER.createParser(utf8, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ApiException(ErrorCode.MALFORMED_JSON, "Empty input; a JSON value was expected.");
            }
            JsonNode node = first == JsonToken.START_OBJECT
                    ? readObject(parser, utf8, offset, rawMember)
                    : VALUE.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ApiException(ErrorCode.MALFORMED_JSON, "Not valid JSON: trailing content after the value.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("Reading from an array cannot fail", e);
        }
    }

    /** Serialized as the exact bytes given (which must be one JSON value). */
    static JsonNode raw(byte[] utf8) {
        return MAPPER.getNodeFactory().rawValueNode(new RawValue(new RawJson(utf8)));
    }

    /** The parser is on the object's START_OBJECT; returns with it on the matching END_OBJECT. */
    private static ObjectNode readObject(JsonParser parser, byte[] utf8, int offset, String rawMember) throws IOException {
        ObjectNode object = MAPPER.createObjectNode();
        JsonToken token = parser.nextToken();
        while (token == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals(rawMember)) {
                int start = offset + (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren(); // still parsed and checked; a string's content is scanned, not decoded
                token = parser.nextToken();
                int end = valueEnd(utf8, offset + (int) parser.currentTokenLocation().getByteOffset());
                object.set(name, raw(Arrays.copyOfRange(utf8, start, end)));
            } else {
                object.set(name, VALUE.readTree(parser));
                token = parser.nextToken();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("Jackson ended an object on " + token);
        }
        return object;
    }

    /** Where a member's value ends, given where the next token (a field name or the closing brace) starts. */
    private static int valueEnd(byte[] utf8, int nextToken) {
        int end = nextToken;
        boolean comma = false;
        while (end > 0) {
            byte b = utf8[end - 1];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                end--;
            } else if (b == ',' && !comma) {
                comma = true;
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    /** Compact UTF-8 into {@code out}: how messages go on the wire. */
    public static void write(OutputStream out, Object value) {
        try {
            MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** The size of a value kept raw ({@link #parse(byte[], int, int, String)}); 0 for any other node. */
    public static int rawLength(JsonNode node) {
        return node instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw && raw.rawValue() instanceof RawJson json
                ? json.asUnquotedUTF8().length
                : 0;
    }

    /** The length of {@code node} as JSON text, in bytes: free for a value kept raw, one serialization for others. */
    public static int byteLength(JsonNode node) {
        int raw = rawLength(node);
        return raw > 0 ? raw : write(node).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** {@code value} as JSON, by the one mapper. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
