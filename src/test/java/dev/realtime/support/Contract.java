package dev.realtime.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The oracle: every response and message the tests receive is checked against the documents in
 * {@code api-specs/}, never against shapes copied into the tests. A status, content type or message
 * the documents do not describe fails the test.
 */
public final class Contract {
    public static final Path SPECS = Path.of("api-specs");
    public static final Path OPENAPI_FILE = SPECS.resolve("openapi.yaml");
    public static final Path ASYNCAPI_FILE = SPECS.resolve("asyncapi.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Decimals stay exact, so a test can tell whether the server changed a number. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();
    private static final JsonNode OPENAPI = read(OPENAPI_FILE);
    private static final JsonNode ASYNCAPI = read(ASYNCAPI_FILE);
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; AsyncAPI 3.0's default schema format is a draft-07 superset.
    private static final JsonSchemaFactory OPENAPI_SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchemaFactory ASYNCAPI_SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Contract() {
    }

    public static JsonNode openApi() {
        return OPENAPI;
    }

    public static JsonNode asyncApi() {
        return ASYNCAPI;
    }

    /**
     * Checks an HTTP response against {@code paths.<path>.<method>.responses.<status>}: the status is
     * documented, the content type is one documented for it, the body matches its schema, documented
     * headers match theirs (required ones are present), and the security headers of
     * {@code components/headers} are all there.
     *
     * @return the body parsed as JSON (or a text node for non-JSON bodies)
     */
    public static JsonNode assertHttp(String method, String pathTemplate, int status, HttpHeaders headers, String body) {
        String operationPointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = OPENAPI.at(operationPointer);
        if (operation.isMissingNode() && status == 405) {
            // A method the path does not have: its 405 is documented on the operations it does have.
            operationPointer = operationDocumenting405(pathTemplate);
            operation = OPENAPI.at(operationPointer);
        }
        if (operation.isMissingNode()) {
            fail("openapi.yaml has no operation " + method + " " + pathTemplate);
        }
        String responsePointer = operationPointer + "/responses/" + status;
        JsonNode response = OPENAPI.at(responsePointer);
        if (response.isMissingNode()) {
            fail("openapi.yaml documents no " + status + " for " + method + " " + pathTemplate
                         + " (documented: " + fieldNames(operation.path("responses")) + "); body: " + body);
        }
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = OPENAPI.at(responsePointer);
        }
        assertSecurityHeaders(headers);
        assertNoServerHeader(headers);
        assertDocumentedHeaders(response.path("headers"), responsePointer + "/headers", headers);

        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return TextNode.valueOf(body);
        }
        String contentType = headers.firstValue("Content-Type")
                .map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT))
                .orElseGet(() -> fail("No Content-Type on " + status + " for " + method + " " + pathTemplate));
        if (!content.has(contentType)) {
            fail("Content-Type " + contentType + " is not documented for " + status + " of " + method + " " + pathTemplate
                         + " (documented: " + fieldNames(content) + ")");
        }
        String schemaPointer = responsePointer + "/content/" + escape(contentType) + "/schema";
        JsonNode instance = contentType.endsWith("json") ? parseJson(body) : TextNode.valueOf(body);
        assertValid(OPENAPI_SCHEMAS, OPENAPI_FILE, schemaPointer, instance);
        return instance;
    }

    private static String operationDocumenting405(String pathTemplate) {
        String pathPointer = "/paths/" + escape(pathTemplate);
        for (Iterator<String> methods = OPENAPI.at(pathPointer).fieldNames(); methods.hasNext(); ) {
            String method = methods.next();
            if (OPENAPI.at(pathPointer + "/" + method + "/responses").has("405")) {
                return pathPointer + "/" + method;
            }
        }
        return fail("openapi.yaml documents no 405 for any operation of " + pathTemplate);
    }

    /** Every header in {@code components/headers} (helmet's set) is present and matches its schema. */
    public static void assertSecurityHeaders(HttpHeaders headers) {
        JsonNode documented = OPENAPI.at("/components/headers");
        for (Iterator<String> names = documented.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Optional<String> value = headers.firstValue(name);
            assertTrue(value.isPresent(), "Security header " + name + " missing; got " + headers.map().keySet());
            assertValid(OPENAPI_SCHEMAS, OPENAPI_FILE, "/components/headers/" + escape(name) + "/schema",
                        TextNode.valueOf(value.get()));
        }
    }

    public static void assertNoServerHeader(HttpHeaders headers) {
        assertTrue(headers.firstValue("Server").isEmpty(), "A Server header leaks the implementation: " + headers.firstValue("Server"));
    }

    /** Checks a message the server sent against {@code ServerMessage} in asyncapi.yaml. */
    public static JsonNode assertServerMessage(String text) {
        JsonNode message = parseJson(text);
        assertValid(ASYNCAPI_SCHEMAS, ASYNCAPI_FILE, "/components/schemas/ServerMessage", message);
        return message;
    }

    /** A client message the tests send must itself be valid (so tests cannot drift from the document). */
    public static void assertClientMessage(String text) {
        assertValid(ASYNCAPI_SCHEMAS, ASYNCAPI_FILE, "/components/schemas/ClientMessage", parseJson(text));
    }

    /** Close codes the server may use, from the channel's {@code x-close-codes}. */
    public static Set<Integer> documentedCloseCodes() {
        Set<Integer> codes = new java.util.TreeSet<>();
        ASYNCAPI.at("/channels/root/x-close-codes").fieldNames().forEachRemaining(c -> codes.add(Integer.parseInt(c)));
        return codes;
    }

    public static void assertDocumentedCloseCode(int code) {
        assertTrue(documentedCloseCodes().contains(code),
                   "Close code " + code + " is not in asyncapi.yaml x-close-codes " + documentedCloseCodes());
    }

    /** The enum of {@code ErrorCode} in openapi.yaml. */
    public static List<String> errorCodes() {
        List<String> codes = new ArrayList<>();
        OPENAPI.at("/components/schemas/ErrorCode/enum").forEach(n -> codes.add(n.asText()));
        return codes;
    }

    private static void assertDocumentedHeaders(JsonNode documented, String pointer, HttpHeaders headers) {
        for (Iterator<Map.Entry<String, JsonNode>> it = documented.fields(); it.hasNext(); ) {
            var header = it.next();
            // A header may be a reference to components/headers (the security headers on the pages).
            String headerPointer = header.getValue().has("$ref")
                    ? header.getValue().get("$ref").asText().substring(1)
                    : pointer + "/" + escape(header.getKey());
            Optional<String> value = headers.firstValue(header.getKey());
            if (value.isEmpty()) {
                assertTrue(!OPENAPI.at(headerPointer).path("required").asBoolean(false),
                           "Required header " + header.getKey() + " missing (" + pointer + ")");
                continue;
            }
            assertValid(OPENAPI_SCHEMAS, OPENAPI_FILE, headerPointer + "/schema", TextNode.valueOf(value.get()));
        }
    }

    private static void assertValid(JsonSchemaFactory factory, Path document, String pointer, JsonNode instance) {
        String location = document.toAbsolutePath().toUri() + "#" + pointer;
        JsonSchema schema = CACHE.computeIfAbsent(location, l -> factory.getSchema(SchemaLocation.of(l)));
        Set<ValidationMessage> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            fail("Not valid against " + document.getFileName() + "#" + pointer + ": "
                         + errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; "))
                         + "\n  instance: " + instance);
        }
    }

    public static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return fail("Not JSON: " + text, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    /** For tests that compare a value with what the document says, e.g. the problem's {@code status}. */
    public static void assertProblem(JsonNode problem, int status, String code) {
        assertEquals(status, problem.path("status").asInt(), "problem status");
        assertEquals(code, problem.path("code").asText(), "problem code; problem: " + problem);
    }
}
