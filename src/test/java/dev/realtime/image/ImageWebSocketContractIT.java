package dev.realtime.image;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.RawHttp;
import dev.realtime.support.TestService;
import dev.realtime.support.Tokens;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The built image speaks the WebSocket as asyncapi.yaml says: handshake, echo, errors, close codes. */
class ImageWebSocketContractIT {
    private static ImageUnderTest image;
    private static String token;

    @BeforeAll
    static void start() {
        image = ImageUnderTest.shared();
        token = Http.login(image, "alice", "alice-password");
    }

    @Test
    void theHandshakeWithATokenIsAcceptedAndWelcomed() {
        try (WsClient client = WsClient.connect(image.ws("/?token=" + token))) {
            assertEquals("alice", client.next("welcome").get("user").asText());
        }
    }

    @Test
    void theHandshakeWithoutATokenIs401() {
        assertRejected("/", Map.of(), 401, "missing_token");
    }

    @Test
    void theHandshakeWithABadTokenIs401() {
        assertRejected("/?token=" + Tokens.signedWithAnotherKey("alice"), Map.of(), 401, "invalid_token");
    }

    @Test
    void theHandshakeWithAnExpiredTokenIs401() {
        assertRejected("/?token=" + Tokens.expired("alice"), Map.of(), 401, "token_expired");
    }

    @Test
    void theHandshakeFromAForeignOriginIs403() {
        assertRejected("/?token=" + token, Map.of("Origin", "https://evil.example"), 403, "origin_not_allowed");
    }

    @Test
    void theHandshakeFromTheAllowedOriginIsAccepted() {
        try (WsClient client = WsClient.connect(image.ws("/?token=" + token), Map.of("Origin", TestService.ALLOWED_ORIGIN))) {
            client.next("welcome");
        }
    }

    @Test
    void echoReturnsTheSameIdAndPayload() {
        try (WsClient client = WsClient.connect(image.ws("/?token=" + token))) {
            client.next("welcome");
            client.send("{\"type\":\"echo\",\"id\":\"e1\",\"payload\":{\"text\":\"olá\",\"n\":[1,2,3]}}");
            JsonNode echo = client.next("echo");
            assertEquals("e1", echo.get("id").asText());
            assertEquals(Contract.parseJson("{\"text\":\"olá\",\"n\":[1,2,3]}"), echo.get("payload"));
        }
    }

    @Test
    void badMessagesGetErrorsAndTheConnectionStaysOpen() {
        try (WsClient client = WsClient.connect(image.ws("/?token=" + token))) {
            client.next("welcome");
            client.sendRaw("this is not json");
            assertEquals("malformed_json", client.next("error").get("code").asText());
            client.sendRaw("{\"type\":\"shout\",\"id\":\"u1\"}");
            JsonNode unknown = client.next("error");
            assertEquals("unknown_type", unknown.get("code").asText());
            assertEquals("u1", unknown.get("id").asText());
            client.sendRaw("{\"type\":\"echo\",\"id\":\"m1\"}");
            assertEquals("validation_failed", client.next("error").get("code").asText());
            client.send("{\"type\":\"echo\",\"id\":\"after\",\"payload\":true}");
            assertEquals("after", client.next("echo").get("id").asText());
        }
    }

    @Test
    void aMessageOverTheLimitClosesWith1009() {
        try (WsClient client = WsClient.connect(image.ws("/?token=" + token))) {
            client.next("welcome");
            client.sendRaw("{\"type\":\"echo\",\"id\":\"big\",\"payload\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, client.awaitClose());
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (WsClient client = WsClient.connect(image.ws("/?token=" + token))) {
            client.next("welcome");
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, client.awaitClose());
        }
    }

    private static void assertRejected(String pathAndQuery, Map<String, String> headers, int status, String code) {
        var response = RawHttp.upgrade(image, pathAndQuery, headers);
        Contract.assertProblem(Contract.assertHttp("GET", "/", response.status(), response.headers(), response.body()),
                               status, code);
    }
}
