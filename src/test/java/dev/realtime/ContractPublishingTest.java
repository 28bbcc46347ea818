package dev.realtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code GET /openapi} and {@code GET /asyncapi} publish the files of {@code api-specs/} byte for byte. */
@ServerTest
@Timeout(60)
class ContractPublishingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    ContractPublishingTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @ParameterizedTest
    @CsvSource({"/openapi, openapi.yaml", "/asyncapi, asyncapi.yaml"})
    void theDocumentIsServedByteForByteAsApplicationYaml(String path, String file) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(server.http(path)).timeout(TIMEOUT).GET().build(),
                                                    HttpResponse.BodyHandlers.ofByteArray());
        Contract.assertHttp("GET", path, response.statusCode(), response.headers(),
                            new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        assertEquals("application/yaml", response.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(Files.readAllBytes(Contract.SPECS.resolve(file)), response.body(),
                          path + " must be exactly api-specs/" + file);
    }

    @ParameterizedTest
    @CsvSource({"/openapi, POST", "/openapi, PUT", "/openapi, DELETE", "/asyncapi, POST", "/asyncapi, DELETE"})
    void otherMethodsThanGetAre405WithAllowGet(String path, String method) {
        var response = Http.send(HttpRequest.newBuilder(server.http(path))
                                         .timeout(TIMEOUT)
                                         .method(method, HttpRequest.BodyPublishers.ofString("x"))
                                         .build());
        // The path's 405 is documented on the operation it does have (GET).
        var problem = Contract.assertHttp("GET", path, response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 405, "method_not_allowed");
        assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
    }
}
