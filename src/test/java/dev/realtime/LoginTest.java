package dev.realtime;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /login} (openapi.yaml {@code login}): every answer, good or bad, is the documented one. */
@ServerTest
@Timeout(60)
class LoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The test server's {@code MAX_BODY_BYTES} (application.yaml {@code server.max-payload-size}). */
    private static final int OVER_THE_BODY_LIMIT = 20_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    LoginTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    // --- success -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"demo, demo-password, user", "alice, alice-password, user", "bob, bob-password, user|admin"})
    void everyTestUserCanLogInAndGetsATokenNamingThemWithTheirRoles(String username, String password, String roles) {
        var response = post("application/json", credentials(username, password));
        JsonNode body = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode(), response.body());

        JsonNode claims = claims(body.get("token").asText());
        assertEquals("realtime-service", claims.path("iss").asText(), "iss; claims: " + claims);
        assertEquals(username, claims.path("sub").asText(), "sub; claims: " + claims);
        List<String> actualRoles = JSON.convertValue(claims.path("roles"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertEquals(List.of(roles.split("\\|")), actualRoles, "roles; claims: " + claims);
    }

    @Test
    void theTokenCarriesIssSubIatExpJtiAndRolesAndExpMinusIatIsExpiresIn() {
        var response = post("application/json", credentials("alice", "alice-password"));
        JsonNode body = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());

        JsonNode claims = claims(body.get("token").asText());
        for (String claim : List.of("iss", "sub", "iat", "exp", "jti", "roles")) {
            assertTrue(claims.has(claim), "claim " + claim + " missing; claims: " + claims);
        }
        assertTrue(claims.get("iat").isIntegralNumber() && claims.get("exp").isIntegralNumber(), claims.toString());
        assertEquals(body.get("expiresIn").asLong(), claims.get("exp").asLong() - claims.get("iat").asLong(),
                     "exp - iat must equal expiresIn");
        long now = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(now - claims.get("iat").asLong()) < 60, "iat is now; claims: " + claims);
        assertTrue(claims.get("roles").isArray(), "roles is an array; claims: " + claims);
        assertTrue(!claims.get("jti").asText().isBlank(), "jti is set");
    }

    @Test
    void theTokenIsNeverCachedCacheControlNoStore() {
        var response = post("application/json", credentials("demo", "demo-password"));
        Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void twoLoginsGiveTokensWithDifferentJti() {
        String first = Http.login(server, "bob", "bob-password");
        String second = Http.login(server, "bob", "bob-password");
        assertNotEquals(claims(first).get("jti").asText(), claims(second).get("jti").asText());
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() {
        var response = post("application/json; charset=utf-8", credentials("demo", "demo-password"));
        Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode(), response.body());
    }

    // --- wrong credentials ---------------------------------------------------------------------

    @Test
    void wrongPasswordIs401InvalidCredentials() {
        assertProblem(post("application/json", credentials("alice", "not-her-password")), 401, "invalid_credentials");
    }

    @Test
    void unknownUserGetsExactlyTheWrongPasswordAnswerSoUsersCannotBeEnumerated() {
        var wrongPassword = post("application/json", credentials("alice", "not-her-password"));
        var unknownUser = post("application/json", credentials("mallory", "not-her-password"));
        JsonNode wrongPasswordBody = assertProblem(wrongPassword, 401, "invalid_credentials");
        JsonNode unknownUserBody = assertProblem(unknownUser, 401, "invalid_credentials");

        assertEquals(wrongPasswordBody, unknownUserBody, "the two 401 bodies must be identical");
        assertEquals(wrongPassword.headers().firstValue("WWW-Authenticate"), unknownUser.headers().firstValue("WWW-Authenticate"));
    }

    @Test
    void aThousandCharacterPasswordForARealUserIs401NotAServerError() {
        assertProblem(post("application/json", credentials("alice", "p".repeat(1000))), 401, "invalid_credentials");
    }

    @Test
    void aPasswordWithALoneSurrogateIs401NotAServerError() {
        assertProblem(post("application/json", "{\"username\":\"alice\",\"password\":\"x\\ud800y\"}"), 401, "invalid_credentials");
    }

    @Test
    void aPasswordIsCheckedOnItsFirst72BytesAsOpenBsdBcryptDoes() {
        String password = "l".repeat(72);
        assertEquals(200, post("application/json", credentials("longpass", password)).statusCode());
        assertEquals(200, post("application/json", credentials("longpass", password + "ignored")).statusCode());
        assertProblem(post("application/json", credentials("longpass", password.substring(1))), 401, "invalid_credentials");
    }

    // --- malformed bodies ----------------------------------------------------------------------

    @Test
    void malformedJsonIs400MalformedJson() {
        assertProblem(post("application/json", "{\"username\": \"alice\", \"password\": "), 400, "malformed_json");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"username\":\"alice\",\"password\":\"alice-password\"} garbage",
            "{\"username\":\"alice\",\"password\":\"alice-password\"}{}",
            "{\"username\":\"alice\",\"password\":\"alice-password\"} 1"})
    void trailingGarbageAfterTheJsonIs400MalformedJson(String body) {
        assertProblem(post("application/json", body), 400, "malformed_json");
    }

    @Test
    void anEmptyBodyIs400MalformedJson() {
        assertProblem(post("application/json", ""), 400, "malformed_json");
    }

    @Test
    void unbalancedDeeplyNestedJsonIs400NotAServerError() {
        assertProblem(post("application/json", "[".repeat(10_000)), 400, "malformed_json");
    }

    @Test
    void balancedDeeplyNestedJsonIs400NotAServerError() {
        assertProblem(post("application/json", "[".repeat(5_000) + "]".repeat(5_000)), 400, "malformed_json");
    }

    // --- well-formed JSON that is not a valid LoginRequest -------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[\"alice\", \"alice-password\"]", "\"alice\"", "42", "null", "true"})
    void aJsonValueThatIsNotAnObjectIs400ValidationFailed(String body) {
        assertProblem(post("application/json", body), 400, "validation_failed");
    }

    @Test
    void missingUsernameIs400ValidationFailed() {
        assertProblem(post("application/json", "{\"password\":\"alice-password\"}"), 400, "validation_failed");
    }

    @Test
    void missingPasswordIs400ValidationFailed() {
        assertProblem(post("application/json", "{\"username\":\"alice\"}"), 400, "validation_failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"123", "null", "true", "[\"alice\"]", "{\"name\":\"alice\"}"})
    void aNonStringUsernameIs400ValidationFailed(String username) {
        assertProblem(post("application/json", "{\"username\":" + username + ",\"password\":\"alice-password\"}"),
                      400, "validation_failed");
    }

    @Test
    void aNonStringPasswordIs400ValidationFailed() {
        assertProblem(post("application/json", "{\"username\":\"alice\",\"password\":12345}"), 400, "validation_failed");
    }

    @Test
    void anEmptyUsernameIs400ValidationFailed() {
        assertProblem(post("application/json", credentials("", "alice-password")), 400, "validation_failed");
    }

    @Test
    void anEmptyPasswordIs400ValidationFailed() {
        assertProblem(post("application/json", credentials("alice", "")), 400, "validation_failed");
    }

    @Test
    void aUsernameOver128CharactersIs400ValidationFailed() {
        assertProblem(post("application/json", credentials("a".repeat(129), "alice-password")), 400, "validation_failed");
    }

    @Test
    void aPasswordOver1024CharactersIs400ValidationFailed() {
        assertProblem(post("application/json", credentials("alice", "p".repeat(1025))), 400, "validation_failed");
    }

    // --- media type ----------------------------------------------------------------------------

    @Test
    void aTextPlainBodyIs415UnsupportedMediaType() {
        assertProblem(post("text/plain", credentials("alice", "alice-password")), 415, "unsupported_media_type");
    }

    @Test
    void aBodyWithoutContentTypeIs415UnsupportedMediaType() {
        assertProblem(post(null, credentials("alice", "alice-password")), 415, "unsupported_media_type");
    }

    // --- size limit ----------------------------------------------------------------------------

    @Test
    void aBodyOverTheLimitWithContentLengthIs413PayloadTooLarge() {
        var response = RawHttp.exchange(server, "POST", "/login",
                                        Map.of("Content-Type", "application/json",
                                               "Content-Length", String.valueOf(OVER_THE_BODY_LIMIT)),
                                        oversizedJson(OVER_THE_BODY_LIMIT));
        assertProblem(response, 413, "payload_too_large");
    }

    @Test
    void aContentLengthOverTheLimitIs413AtOnceWithoutWaitingForTheBody() {
        // Only a few bytes of the announced 20000 are ever sent: the answer must come from the header alone.
        var response = RawHttp.exchange(server, "POST", "/login",
                                        Map.of("Content-Type", "application/json",
                                               "Content-Length", String.valueOf(OVER_THE_BODY_LIMIT)),
                                        "{\"username\":".getBytes(StandardCharsets.UTF_8));
        assertProblem(response, 413, "payload_too_large");
    }

    @Test
    void aBodyOverTheLimitFromTheJdkClientIs413PayloadTooLarge() {
        // Expect: 100-continue, as a client sending a large body should: the server refuses by Content-Length before
        // it reads anything and closes, and a body already sent would race that close (a reset can destroy the 413).
        var request = HttpRequest.newBuilder(server.http("/login"))
                .timeout(TIMEOUT)
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(oversizedJson(OVER_THE_BODY_LIMIT)));
        assertProblem(Http.send(request.build()), 413, "payload_too_large");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413PayloadTooLarge() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Transfer-Encoding", "chunked");
        var response = RawHttp.exchange(server, "POST", "/login", headers, chunked(oversizedJson(OVER_THE_BODY_LIMIT), 4096));
        assertProblem(response, 413, "payload_too_large");
    }

    @Test
    void aChunkedBodyUnderTheLimitIsAccepted() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Transfer-Encoding", "chunked");
        byte[] body = credentials("alice", "alice-password").getBytes(StandardCharsets.UTF_8);
        var response = RawHttp.exchange(server, "POST", "/login", headers, chunked(body, 10));
        Contract.assertHttp("POST", "/login", response.status(), response.headers(), response.body());
        assertEquals(200, response.status(), response.body());
    }

    // --- methods -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsThanPostAre405MethodNotAllowedWithAllowPost(String method) {
        var response = Http.send(HttpRequest.newBuilder(server.http("/login"))
                                         .timeout(TIMEOUT)
                                         .method(method, HttpRequest.BodyPublishers.noBody())
                                         .build());
        // openapi.yaml documents a path's 405 on the operation the path does have (POST /login).
        JsonNode problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 405, "method_not_allowed");
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static String credentials(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    private HttpResponse<String> post(String contentType, String body) {
        var request = HttpRequest.newBuilder(server.http("/login"))
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return Http.send(request.build());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        JsonNode problem = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        assertEquals(status, response.statusCode());
        return problem;
    }

    private static JsonNode assertProblem(dev.realtime.verify.RawHttp.Response response, int status, String code) {
        JsonNode problem = Contract.assertHttp("POST", "/login", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        assertEquals(status, response.status());
        return problem;
    }

    /** A syntactically valid login request padded to exactly {@code size} bytes. */
    private static byte[] oversizedJson(int size) {
        String prefix = "{\"username\":\"alice\",\"password\":\"alice-password\",\"padding\":\"";
        String suffix = "\"}";
        return (prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] chunked(byte[] body, int chunkSize) {
        var out = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += chunkSize) {
            int length = Math.min(chunkSize, body.length - offset);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, "a JWT has three parts: " + token);
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError("The JWT payload is not JSON: " + token, e);
        }
    }
}
