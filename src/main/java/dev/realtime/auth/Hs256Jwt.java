package dev.realtime.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.realtime.contract.Json;

/**
 * Compact JWS tokens signed with HMAC-SHA256 (RFC 7515, RFC 7518 3.2), the only form this service
 * issues or accepts. Written here rather than taken from java-jwt, which the service used before: that
 * library parses with an {@code ObjectMapper} of its own whose per-thread buffers stay on the thread that
 * verified, and a WebSocket handshake is verified on the connection's own long-lived thread: 7.8 KiB
 * per idle connection (bench/RESULTS.md). This parses with the service's {@link Json#MAPPER} (one bounded,
 * shared buffer pool) and the JDK's {@link Mac}. The header must say {@code HS256}, so {@code none} and
 * every other algorithm are refused before anything else is read; signatures are compared in constant time.
 * <p>
 * Several keys verify (a key rotation: the signing key and the previous ones), one signs. Every token names its
 * key in the header's {@code kid}: a short hash of the key, never the key, so the verifier need not try them all.
 * A token without {@code kid} (issued before tokens carried one) is tried against each key.
 */
final class Hs256Jwt {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String ALGORITHM = "HmacSHA256";
    /** Bytes of the key's SHA-256 in its {@code kid}: enough to tell a handful of keys apart, useless to guess one. */
    private static final int KID_BYTES = 8;
    /** A member given twice could mean one thing to us and another to a different verifier: refused. */
    private static final ObjectReader STRICT = Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    /** Not a well-formed, HS256-signed token with a valid signature. */
    static final class InvalidToken extends Exception {
        InvalidToken(String message) {
            super(message, null, false, false);
        }
    }

    private record Key(String kid, SecretKeySpec spec) {
        static Key of(byte[] secret) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
                return new Key(ENCODER.encodeToString(Arrays.copyOf(digest, KID_BYTES)), new SecretKeySpec(secret, ALGORITHM));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    private final Key signing;
    private final List<Key> verifying;
    private final String header;

    /**
     * @param signing the key new tokens are signed with (it verifies too)
     * @param previous keys that only verify
     */
    Hs256Jwt(byte[] signing, List<byte[]> previous) {
        this.signing = Key.of(signing);
        this.verifying = Stream.concat(Stream.of(this.signing), previous.stream().map(Key::of))
                .toList();
        ObjectNode headerJson = Json.MAPPER.createObjectNode().put("alg", "HS256").put("typ", "JWT").put("kid", this.signing.kid());
        this.header = ENCODER.encodeToString(Json.write(headerJson).getBytes(StandardCharsets.UTF_8));
    }

    /** The signing key's {@code kid}. */
    String kid() {
        return signing.kid();
    }

    String sign(ObjectNode claims) {
        String signingInput = header + "." + ENCODER.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + ENCODER.encodeToString(mac(signing, signingInput));
    }

    /** @return the claims of a token whose header says HS256 and whose signature is ours */
    JsonNode verify(String token) throws InvalidToken {
        int headerEnd = token.indexOf('.');
        int claimsEnd = token.indexOf('.', headerEnd + 1);
        if (headerEnd < 0 || claimsEnd < 0 || token.indexOf('.', claimsEnd + 1) >= 0) {
            throw new InvalidToken("not three dot-separated parts");
        }
        JsonNode header = object(token.substring(0, headerEnd));
        if (!"HS256".equals(header.path("alg").textValue())) {
            throw new InvalidToken("algorithm is not HS256");
        }
        JsonNode kid = header.get("kid");
        if (kid != null && !kid.isTextual()) {
            throw new InvalidToken("kid is not a string");
        }
        byte[] signature = decode(token.substring(claimsEnd + 1));
        String signingInput = token.substring(0, claimsEnd);
        for (Key key : verifying) {
            if ((kid == null || key.kid().equals(kid.textValue())) && MessageDigest.isEqual(mac(key, signingInput), signature)) {
                return object(token.substring(headerEnd + 1, claimsEnd));
            }
        }
        throw new InvalidToken("no key of ours (with that kid) made this signature");
    }

    private static byte[] mac(Key key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key.spec());
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static JsonNode object(String part) throws InvalidToken {
        try {
            JsonNode node = STRICT.readTree(decode(part));
            if (node == null || !node.isObject()) {
                throw new InvalidToken("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidToken("not JSON");
        }
    }

    private static byte[] decode(String part) throws InvalidToken {
        try {
            return DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("not base64url");
        }
    }
}
