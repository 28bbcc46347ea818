package dev.realtime.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.realtime.config.AuthSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Our HS256 tokens against an independent implementation (java-jwt), and every way a token is refused. */
class TokenServiceTest {
    private static final String SECRET = "token-service-test-secret-0123456789abcdef";
    private static final String NEXT_SECRET = "token-service-next-secret-0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Algorithm JAVA_JWT = Algorithm.HMAC256(SECRET);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final TokenService tokens = service(NOW);

    @Test
    void aTokenWeIssueIsValidForJavaJwtWithEveryClaim() {
        DecodedJWT decoded = JWT.require(JAVA_JWT).withIssuer("realtime-service").build()
                .verify(service(Instant.now()).issue(new Identity("alice", List.of("user", "admin"))));
        assertEquals("alice", decoded.getSubject());
        assertEquals(List.of("user", "admin"), decoded.getClaim("roles").asList(String.class));
        assertEquals(Duration.ofHours(1).toSeconds(), decoded.getExpiresAtAsInstant().getEpochSecond()
                - decoded.getIssuedAtAsInstant().getEpochSecond());
        assertEquals("HS256", decoded.getAlgorithm());
    }

    @Test
    void aTokenJavaJwtSignsIsAcceptedWithItsRoles() {
        String token = javaJwt().withArrayClaim("roles", new String[] {"publisher"}).sign(JAVA_JWT);
        assertEquals(new Identity("bob", List.of("publisher")), tokens.verify(token));
    }

    @Test
    void aTokenWithoutRolesHasNone() {
        assertEquals(List.of(), tokens.verify(javaJwt().sign(JAVA_JWT)).roles());
    }

    @Test
    void anExpiredTokenIsTokenExpired() {
        assertCode(ErrorCode.TOKEN_EXPIRED, javaJwt().withExpiresAt(Date.from(NOW)).sign(JAVA_JWT));
    }

    @Test
    void anExpiredTokenWithAWrongSignatureIsInvalidNotExpired() {
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withExpiresAt(Date.from(NOW.minusSeconds(10)))
                .sign(Algorithm.HMAC256("another-secret-another-secret-0123456789")));
    }

    @Test
    void otherAlgorithmsAreRefusedEvenWithTheRightKey() {
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().sign(Algorithm.HMAC384(SECRET)));
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().sign(Algorithm.HMAC512(SECRET)));
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().sign(Algorithm.none()));
    }

    @Test
    void aTokenFromTheFutureOrNotYetValidIsRefused() {
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withIssuedAt(Date.from(NOW.plusSeconds(60))).sign(JAVA_JWT));
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withNotBefore(Date.from(NOW.plusSeconds(60))).sign(JAVA_JWT));
    }

    @Test
    void anotherIssuerOrAMissingClaimIsRefused() {
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withIssuer("someone-else").sign(JAVA_JWT));
        assertCode(ErrorCode.INVALID_TOKEN, JWT.create().withIssuer("realtime-service").withSubject("bob")
                .withIssuedAt(Date.from(NOW)).withExpiresAt(Date.from(NOW.plusSeconds(60))).sign(JAVA_JWT)); // no jti
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withClaim("roles", "user").sign(JAVA_JWT)); // not a list
    }

    @Test
    void aSignatureIsCheckedOverExactlyTheHeaderAndClaims() {
        String token = javaJwt().sign(JAVA_JWT);
        String[] parts = token.split("\\.");
        String otherClaims = B64.encodeToString(("{\"iss\":\"realtime-service\",\"sub\":\"admin\",\"iat\":" + NOW.getEpochSecond()
                + ",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + ",\"jti\":\"x\"}").getBytes(StandardCharsets.UTF_8));
        assertCode(ErrorCode.INVALID_TOKEN, parts[0] + "." + otherClaims + "." + parts[2]);
        assertCode(ErrorCode.INVALID_TOKEN, token + ".extra");
        assertCode(ErrorCode.INVALID_TOKEN, parts[0] + "." + parts[1] + "." + parts[2].substring(1));
    }

    @Test
    void aDuplicatedHeaderMemberIsRefused() {
        String header = B64.encodeToString("{\"alg\":\"none\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
        String[] parts = javaJwt().sign(JAVA_JWT).split("\\.");
        assertCode(ErrorCode.INVALID_TOKEN, header + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void anAuthTimeAfterTheTokensIssueOrNotANumberIsRefused() {
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withClaim("auth_time", NOW.getEpochSecond()).sign(JAVA_JWT));
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withClaim("auth_time", "yesterday").sign(JAVA_JWT));
        assertEquals(NOW.minusSeconds(600), tokens.verifyToken(javaJwt().withClaim("auth_time", NOW.minusSeconds(600).getEpochSecond())
                .sign(JAVA_JWT)).authTime());
    }

    @Test
    void aTokenNamesItsKeyByAShortHashNeverTheKeyItself() {
        DecodedJWT decoded = JWT.decode(tokens.issue(new Identity("alice", List.of())));
        String kid = decoded.getKeyId();
        assertEquals(11, kid.length(), kid); // 8 bytes of SHA-256, base64url
        assertFalse(new String(Base64.getUrlDecoder().decode(decoded.getHeader()), StandardCharsets.UTF_8).contains(SECRET));
        assertNotEquals(kid, JWT.decode(service(NEXT_SECRET, List.of(SECRET)).issue(new Identity("alice", List.of()))).getKeyId());
    }

    @Test
    void afterARotationTheNewKeySignsAndTheOldOneStillVerifies() {
        String old = tokens.issue(new Identity("alice", List.of("user")));
        TokenService rotated = service(NEXT_SECRET, List.of(SECRET));
        assertEquals(new Identity("alice", List.of("user")), rotated.verify(old));
        String fresh = rotated.issue(new Identity("bob", List.of()));
        Algorithm.HMAC256(NEXT_SECRET).verify(JWT.decode(fresh)); // signed with the new key (signature only: NOW is fixed)
        assertCode(ErrorCode.INVALID_TOKEN, fresh); // the service before the switch does not know the new key
        assertEquals("bob", service(SECRET, List.of(NEXT_SECRET)).verify(fresh).user()); // ...unless it was added as previous
    }

    @Test
    void onceTheOldKeyIsDroppedItsTokensAreInvalid() {
        String old = tokens.issue(new Identity("alice", List.of("user")));
        TokenService dropped = service(NEXT_SECRET, List.of());
        assertEquals(ErrorCode.INVALID_TOKEN, assertThrows(ApiException.class, () -> dropped.verify(old)).code());
    }

    @Test
    void aKidThatNamesNoKeyOfOursOrIsNoStringIsRefusedEvenWithAValidSignature() {
        assertCode(ErrorCode.INVALID_TOKEN, javaJwt().withKeyId("someone-elses-key").sign(JAVA_JWT));
        String[] parts = javaJwt().sign(JAVA_JWT).split("\\.");
        String numericKid = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":7}".getBytes(StandardCharsets.UTF_8));
        String signingInput = numericKid + "." + parts[1];
        assertCode(ErrorCode.INVALID_TOKEN, signingInput + "." + B64.encodeToString(JAVA_JWT.sign(
                numericKid.getBytes(StandardCharsets.UTF_8), parts[1].getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a.b.c", "not-a-jwt", "e30.e30.", "%%%.e30.e30"})
    void garbageIsInvalidToken(String token) {
        assertCode(ErrorCode.INVALID_TOKEN, token);
    }

    private static com.auth0.jwt.JWTCreator.Builder javaJwt() {
        return JWT.create().withIssuer("realtime-service").withSubject("bob").withJWTId("id-1")
                .withIssuedAt(Date.from(NOW.minusSeconds(5))).withExpiresAt(Date.from(NOW.plusSeconds(3600)));
    }

    private void assertCode(ErrorCode expected, String token) {
        assertEquals(expected, assertThrows(ApiException.class, () -> tokens.verify(token)).code(), token);
    }

    private static TokenService service(Instant now) {
        return new TokenService(new AuthSettings(SECRET.getBytes(StandardCharsets.UTF_8), List.of(), false, "realtime-service",
                                                 Duration.ofHours(1), Duration.ofHours(12), List.of()), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static TokenService service(String secret, List<String> previous) {
        return new TokenService(new AuthSettings(secret.getBytes(StandardCharsets.UTF_8),
                                                 previous.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList(),
                                                 false, "realtime-service", Duration.ofHours(1), Duration.ofHours(12), List.of()),
                                Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
