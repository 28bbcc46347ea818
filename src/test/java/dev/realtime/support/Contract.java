package dev.realtime.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.oracle.ContractOracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The oracle ({@link ContractOracle}, the one the verifier uses) over the documents in {@code api-specs/},
 * as assertions: every response and message the tests receive is checked against them, never against
 * shapes copied into the tests. A status, content type or message the documents do not describe fails the test.
 */
public final class Contract {
    public static final Path SPECS = Path.of("api-specs");
    public static final Path OPENAPI_FILE = SPECS.resolve("openapi.yaml");
    public static final Path ASYNCAPI_FILE = SPECS.resolve("asyncapi.yaml");

    private static final ContractOracle ORACLE = ContractOracle.of(read(OPENAPI_FILE), read(ASYNCAPI_FILE));

    private Contract() {
    }

    public static ContractOracle oracle() {
        return ORACLE;
    }

    public static JsonNode openApi() {
        return ORACLE.openApi();
    }

    public static JsonNode asyncApi() {
        return ORACLE.asyncApi();
    }

    /**
     * Checks an HTTP response against {@code paths.<path>.<method>.responses.<status>} (see
     * {@link ContractOracle#http}).
     *
     * @return the body parsed as JSON (or a text node for non-JSON bodies)
     */
    public static JsonNode assertHttp(String method, String pathTemplate, int status, HttpHeaders headers, String body) {
        return holds(ORACLE.http(method, pathTemplate, status, headers, body));
    }

    /** Every header in {@code components/headers} (helmet's set) is present and matches its schema. */
    public static void assertSecurityHeaders(HttpHeaders headers) {
        assertNone(ORACLE.securityHeaders(headers));
    }

    public static void assertNoServerHeader(HttpHeaders headers) {
        assertNone(ORACLE.serverHeader(headers).stream().toList());
    }

    /** Checks a message the server sent against {@code ServerMessage} in asyncapi.yaml. */
    public static JsonNode assertServerMessage(String text) {
        return holds(ORACLE.serverMessage(text));
    }

    /** A client message the tests send must itself be valid (so tests cannot drift from the document). */
    public static void assertClientMessage(String text) {
        holds(ORACLE.clientMessage(text));
    }

    /** Close codes the server may use, from the channel's {@code x-close-codes}. */
    public static Set<Integer> documentedCloseCodes() {
        return ORACLE.documentedCloseCodes();
    }

    public static void assertDocumentedCloseCode(int code) {
        assertTrue(documentedCloseCodes().contains(code),
                   "Close code " + code + " is not in asyncapi.yaml x-close-codes " + documentedCloseCodes());
    }

    /** The enum of {@code ErrorCode} in openapi.yaml. */
    public static List<String> errorCodes() {
        return ORACLE.errorCodes();
    }

    public static JsonNode parseJson(String text) {
        return ContractOracle.parseJson(text).orElseGet(() -> fail("Not JSON: " + text));
    }

    /** For tests that compare a value with what the document says, e.g. the problem's {@code status}. */
    public static void assertProblem(JsonNode problem, int status, String code) {
        assertEquals(status, problem.path("status").asInt(), "problem status");
        assertEquals(code, problem.path("code").asText(), "problem code; problem: " + problem);
    }

    private static JsonNode holds(ContractOracle.Verdict verdict) {
        assertNone(verdict.violations());
        return verdict.value();
    }

    private static void assertNone(List<String> violations) {
        if (!violations.isEmpty()) {
            fail(String.join("\n", violations));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
