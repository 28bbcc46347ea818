package dev.realtime.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A member read raw is written back as exactly the bytes it came in, wherever it stands and whatever surrounds it. */
class JsonTest {
    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "\"é € 𝄞 \\\"quoted\\\" \\u00e9\"", "12.50", "-0", "1e400", "true", "null", "[]", "{}",
                            "[1, {\"a\": [2, \"x\"]}, \"y\"]", "{\"nested\" : {\"deep\":[[[]]]}}"})
    void aRawMemberIsWrittenBackByteForByte(String payload) {
        for (String message : new String[] {
                "{\"type\":\"echo\",\"id\":\"1\",\"payload\":" + payload + "}",
                "{\"payload\":" + payload + ",\"type\":\"echo\",\"id\":\"1\"}",
                " { \"type\" : \"echo\" ,\n \"payload\" :\t" + payload + " \r\n, \"id\":\"1\" } ",
                "{\"type\":\"echo\",\"id\":\"1\",\"payload\" : " + payload + "   }"}) {
            byte[] framed = ("garbage before" + message + "garbage after").getBytes(StandardCharsets.UTF_8);
            int offset = "garbage before".getBytes(StandardCharsets.UTF_8).length;
            JsonNode node = Json.parse(framed, offset, message.getBytes(StandardCharsets.UTF_8).length, "payload");
            assertEquals("echo", node.get("type").asText(), message);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Json.write(out, Map.of("payload", node.get("payload")));
            assertEquals("{\"payload\":" + payload + "}", out.toString(StandardCharsets.UTF_8), message);
            assertEquals(payload.getBytes(StandardCharsets.UTF_8).length, Json.rawLength(node.get("payload")));
            assertEquals(Json.parse(payload), Json.parse(Json.write(node)).get("payload"), "as a String too: " + message);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"payload\":\"unterminated}", "{\"payload\":[1,2}", "{\"payload\":01}", "{\"payload\":\"a\u0001b\"}",
            "{\"payload\":\"\\x\"}", "{\"payload\":1} trailing", "{\"payload\":1}{}", "", "   ", "{\"payload\":nul}"})
    void malformedInputIsMalformedJsonWhereverItIs(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ApiException e = assertThrows(ApiException.class, () -> Json.parse(bytes, 0, bytes.length, "payload"));
        assertEquals(ErrorCode.MALFORMED_JSON, e.code(), message);
    }
}
