package dev.realtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import dev.realtime.contract.ErrorCode;
import dev.realtime.support.Contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's lint of the contract: both documents are valid against their specifications, every
 * reference resolves, and the error codes in them are exactly the ones the service has.
 */
class SpecDocumentsTest {
    @Test
    void openApiDocumentParsesWithoutAnyMessage() {
        var options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIV3Parser().readLocation(Contract.OPENAPI_FILE.toUri().toString(), null, options);
        assertTrue(result.getMessages().isEmpty(), "openapi.yaml: " + result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
    }

    @Test
    void asyncApiDocumentIsValidAgainstTheAsyncApi300Schema() {
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        var schema = factory.getSchema(SchemaLocation.of("classpath:meta/asyncapi-3.0.0.schema.json"));
        Set<ValidationMessage> errors = schema.validate(Contract.asyncApi());
        assertTrue(errors.isEmpty(), "asyncapi.yaml: " + errors.stream().map(ValidationMessage::getMessage)
                .collect(Collectors.joining("\n  ")));
    }

    @Test
    void everyLocalReferenceInBothDocumentsResolves() {
        List<String> broken = new ArrayList<>();
        collectBrokenRefs(Contract.openApi(), Contract.openApi(), "openapi.yaml", broken);
        collectBrokenRefs(Contract.asyncApi(), Contract.asyncApi(), "asyncapi.yaml", broken);
        assertTrue(broken.isEmpty(), "Unresolved $ref: " + broken);
    }

    @Test
    void theOpenApiErrorCodesAreExactlyTheServicesErrorCodes() {
        Set<String> service = Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(service, new TreeSet<>(Contract.errorCodes()));
    }

    @Test
    void theWebSocketErrorCodesAreErrorCodesOfTheService() {
        Set<String> all = new TreeSet<>(Contract.errorCodes());
        JsonNode wsCodes = Contract.asyncApi().at("/components/schemas/Error/properties/code/enum");
        assertTrue(wsCodes.size() > 0);
        wsCodes.forEach(code -> assertTrue(all.contains(code.asText()), code + " is not an ErrorCode of openapi.yaml"));
    }

    private static void collectBrokenRefs(JsonNode root, JsonNode node, String document, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")
                    && root.at(ref.asText().substring(1)).isMissingNode()) {
                broken.add(document + ": " + ref.asText());
            }
            node.elements().forEachRemaining(child -> collectBrokenRefs(root, child, document, broken));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectBrokenRefs(root, child, document, broken));
        }
    }
}
