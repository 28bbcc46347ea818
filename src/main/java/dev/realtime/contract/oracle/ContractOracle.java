package dev.realtime.contract.oracle;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The oracle: judges HTTP responses and WebSocket messages against the two contract documents
 * ({@code openapi.yaml}, {@code asyncapi.yaml}), never against shapes copied from them. A status,
 * content type, header or message the documents do not describe is a violation, named in plain words.
 * The test suite holds the service to it ({@code support/Contract}); the verifier holds any deployment to it.
 */
public final class ContractOracle {
    public static final String OPENAPI = "openapi.yaml";
    public static final String ASYNCAPI = "asyncapi.yaml";

    /** The documents are served to the schema library under these names only; nothing is fetched from there. */
    private static final String BASE = "https://contract.realtime.invalid/";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Decimals stay exact, so a check can tell whether the server changed a number. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private final JsonNode openApi;
    private final JsonNode asyncApi;
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; AsyncAPI 3.0's default schema format is a draft-07 superset.
    private final JsonSchemaFactory openApiSchemas;
    private final JsonSchemaFactory asyncApiSchemas;
    private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();

    private ContractOracle(String openApiYaml, String asyncApiYaml) {
        this.openApi = readYaml(OPENAPI, openApiYaml);
        this.asyncApi = readYaml(ASYNCAPI, asyncApiYaml);
        Map<String, String> documents = Map.of(BASE + OPENAPI, openApiYaml, BASE + ASYNCAPI, asyncApiYaml);
        this.openApiSchemas = factory(SpecVersion.VersionFlag.V202012, documents);
        this.asyncApiSchemas = factory(SpecVersion.VersionFlag.V7, documents);
    }

    /**
     * The oracle for these two documents (their YAML text).
     *
     * @throws NotAContractException when either text is not a YAML document of its kind
     */
    public static ContractOracle of(String openApiYaml, String asyncApiYaml) {
        ContractOracle oracle = new ContractOracle(openApiYaml, asyncApiYaml);
        if (!oracle.openApi.path("openapi").asText().startsWith("3.")) {
            throw new NotAContractException(OPENAPI + " is not an OpenAPI 3 document");
        }
        if (!oracle.asyncApi.path("asyncapi").asText().startsWith("3.")) {
            throw new NotAContractException(ASYNCAPI + " is not an AsyncAPI 3 document");
        }
        return oracle;
    }

    /** openapi.yaml, parsed. */
    public JsonNode openApi() {
        return openApi;
    }

    /** asyncapi.yaml, parsed. */
    public JsonNode asyncApi() {
        return asyncApi;
    }

    /** What the oracle found: the violations (none = as documented) and the body or message parsed. */
    public record Verdict(List<String> violations, JsonNode value) {
        /** Whether it is as documented. */
        public boolean ok() {
            return violations.isEmpty();
        }
    }

    /**
     * Judges an HTTP response by {@code paths.<path>.<method>.responses.<status>}: the status is
     * documented, the content type is one documented for it, the body matches its schema, documented
     * headers match theirs (required ones are present), the security headers of
     * {@code components/headers} are all there, and there is no {@code Server} header.
     * The verdict's value is the body parsed as JSON (or a text node for non-JSON bodies).
     */
    public Verdict http(String method, String pathTemplate, int status, HttpHeaders headers, String body) {
        String operationPointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = openApi.at(operationPointer);
        if (operation.isMissingNode() && status == 405) {
            // A method the path does not have: its 405 is documented on the operations it does have.
            Optional<String> documenting = operationDocumenting405(pathTemplate);
            if (documenting.isEmpty()) {
                return broken(OPENAPI + " documents no 405 for any operation of " + pathTemplate, body);
            }
            operationPointer = documenting.get();
            operation = openApi.at(operationPointer);
        }
        if (operation.isMissingNode()) {
            return broken(OPENAPI + " has no operation " + method + " " + pathTemplate, body);
        }
        String responsePointer = operationPointer + "/responses/" + status;
        JsonNode response = openApi.at(responsePointer);
        if (response.isMissingNode()) {
            return broken(OPENAPI + " documents no " + status + " for " + method + " " + pathTemplate
                                  + " (documented: " + fieldNames(operation.path("responses")) + "); body: " + body, body);
        }
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = openApi.at(responsePointer);
        }
        List<String> violations = new ArrayList<>(securityHeaders(headers));
        serverHeader(headers).ifPresent(violations::add);
        violations.addAll(documentedHeaders(response.path("headers"), responsePointer + "/headers", headers));

        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return new Verdict(violations, TextNode.valueOf(body));
        }
        Optional<String> contentType = headers.firstValue("Content-Type")
                .map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT));
        if (contentType.isEmpty()) {
            violations.add("No Content-Type on " + status + " for " + method + " " + pathTemplate);
            return new Verdict(violations, TextNode.valueOf(body));
        }
        if (!content.has(contentType.get())) {
            violations.add("Content-Type " + contentType.get() + " is not documented for " + status + " of " + method + " "
                                   + pathTemplate + " (documented: " + fieldNames(content) + ")");
            return new Verdict(violations, TextNode.valueOf(body));
        }
        String schemaPointer = responsePointer + "/content/" + escape(contentType.get()) + "/schema";
        if (!contentType.get().endsWith("json")) {
            violations.addAll(validate(openApiSchemas, OPENAPI, schemaPointer, TextNode.valueOf(body)));
            return new Verdict(violations, TextNode.valueOf(body));
        }
        Optional<JsonNode> json = parseJson(body);
        if (json.isEmpty()) {
            violations.add("Not JSON: " + body);
            return new Verdict(violations, TextNode.valueOf(body));
        }
        violations.addAll(validate(openApiSchemas, OPENAPI, schemaPointer, json.get()));
        return new Verdict(violations, json.get());
    }

    private Optional<String> operationDocumenting405(String pathTemplate) {
        String pathPointer = "/paths/" + escape(pathTemplate);
        for (Iterator<String> methods = openApi.at(pathPointer).fieldNames(); methods.hasNext(); ) {
            String method = methods.next();
            if (openApi.at(pathPointer + "/" + method + "/responses").has("405")) {
                return Optional.of(pathPointer + "/" + method);
            }
        }
        return Optional.empty();
    }

    /** Every header in {@code components/headers} (helmet's set) is present and matches its schema. */
    public List<String> securityHeaders(HttpHeaders headers) {
        List<String> violations = new ArrayList<>();
        JsonNode documented = openApi.at("/components/headers");
        for (Iterator<String> names = documented.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Optional<String> value = headers.firstValue(name);
            if (value.isEmpty()) {
                violations.add("Security header " + name + " missing; got " + headers.map().keySet());
                continue;
            }
            violations.addAll(validate(openApiSchemas, OPENAPI, "/components/headers/" + escape(name) + "/schema",
                                       TextNode.valueOf(value.get())));
        }
        return violations;
    }

    /** The contract promises no {@code Server} header: it would name the implementation. */
    public Optional<String> serverHeader(HttpHeaders headers) {
        return headers.firstValue("Server").map(value -> "A Server header leaks the implementation: " + value);
    }

    /** Judges a message the server sent by {@code ServerMessage} in asyncapi.yaml. */
    public Verdict serverMessage(String text) {
        return message("/components/schemas/ServerMessage", text);
    }

    /** Judges a message meant for the server by {@code ClientMessage} in asyncapi.yaml. */
    public Verdict clientMessage(String text) {
        return message("/components/schemas/ClientMessage", text);
    }

    /** Judges a message by the payload schema of {@code components/messages/<name>} (or any other pointer). */
    public Verdict message(String schemaPointer, String text) {
        Optional<JsonNode> json = parseJson(text);
        if (json.isEmpty()) {
            return broken("Not JSON: " + text, text);
        }
        return new Verdict(validate(asyncApiSchemas, ASYNCAPI, schemaPointer, json.get()), json.get());
    }

    /** Close codes the server may use, from the channel's {@code x-close-codes}. */
    public Set<Integer> documentedCloseCodes() {
        Set<Integer> codes = new TreeSet<>();
        asyncApi.at("/channels/root/x-close-codes").fieldNames().forEachRemaining(c -> codes.add(Integer.parseInt(c)));
        return codes;
    }

    /** The enum of {@code ErrorCode} in openapi.yaml. */
    public List<String> errorCodes() {
        List<String> codes = new ArrayList<>();
        openApi.at("/components/schemas/ErrorCode/enum").forEach(n -> codes.add(n.asText()));
        return codes;
    }

    /** JSON as the oracle reads it (decimals exact), or empty when the text is not JSON. */
    public static Optional<JsonNode> parseJson(String text) {
        try {
            return Optional.of(JSON.readTree(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code pointerToken} escaped for a JSON pointer (RFC 6901). */
    public static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    private List<String> documentedHeaders(JsonNode documented, String pointer, HttpHeaders headers) {
        List<String> violations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = documented.fields(); it.hasNext(); ) {
            var header = it.next();
            // A header may be a reference to components/headers (the security headers on the pages).
            String headerPointer = header.getValue().has("$ref")
                    ? header.getValue().get("$ref").asText().substring(1)
                    : pointer + "/" + escape(header.getKey());
            Optional<String> value = headers.firstValue(header.getKey());
            if (value.isEmpty()) {
                if (openApi.at(headerPointer).path("required").asBoolean(false)) {
                    violations.add("Required header " + header.getKey() + " missing (" + pointer + ")");
                }
                continue;
            }
            violations.addAll(validate(openApiSchemas, OPENAPI, headerPointer + "/schema", TextNode.valueOf(value.get())));
        }
        return violations;
    }

    private List<String> validate(JsonSchemaFactory factory, String document, String pointer, JsonNode instance) {
        JsonSchema schema = cache.computeIfAbsent(document + "#" + pointer,
                                                  key -> factory.getSchema(SchemaLocation.of(BASE + key)));
        Set<ValidationMessage> errors = schema.validate(instance);
        if (errors.isEmpty()) {
            return List.of();
        }
        return List.of("Not valid against " + document + "#" + pointer + ": "
                               + errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; "))
                               + "\n  instance: " + instance);
    }

    private static Verdict broken(String violation, String text) {
        return new Verdict(List.of(violation), TextNode.valueOf(text));
    }

    /**
     * Schemas are read inside whole OpenAPI/AsyncAPI documents, whose own keywords ({@code paths},
     * {@code example}, ...) are unknown to JSON Schema: they are annotations, as the library treats them
     * anyway, but without its warning for every one of them.
     */
    private static JsonSchemaFactory factory(SpecVersion.VersionFlag version, Map<String, String> documents) {
        JsonMetaSchema standard = version == SpecVersion.VersionFlag.V202012 ? JsonMetaSchema.getV202012() : JsonMetaSchema.getV7();
        JsonMetaSchema meta = JsonMetaSchema.builder(standard)
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .build();
        return JsonSchemaFactory.getInstance(version, builder -> builder.metaSchema(meta)
                .schemaLoaders(loaders -> loaders.schemas(documents)));
    }

    private static JsonNode readYaml(String name, String text) {
        try {
            JsonNode document = YAML.readTree(text);
            if (document == null || !document.isObject()) {
                throw new NotAContractException(name + " is not a YAML mapping");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new NotAContractException(name + " is not YAML: " + e.getOriginalMessage());
        }
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }
}
