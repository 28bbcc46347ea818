package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Publishes the contract: {@code GET /openapi} and {@code GET /asyncapi} answer the files of
 * {@code api-specs/} byte for byte (the build copies them into the jar unchanged).
 */
public final class ContractService implements HttpService {
    private static final String YAML = "application/yaml";

    private final byte[] openApi = load("api-specs/openapi.yaml");
    private final byte[] asyncApi = load("api-specs/asyncapi.yaml");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, YAML).send(openApi))
                .any("/openapi", MethodNotAllowed.allowing(Method.GET))
                .get("/asyncapi", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, YAML).send(asyncApi))
                .any("/asyncapi", MethodNotAllowed.allowing(Method.GET));
    }

    private static byte[] load(String resource) {
        try (InputStream in = ContractService.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
