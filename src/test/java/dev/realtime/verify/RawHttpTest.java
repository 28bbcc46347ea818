package dev.realtime.verify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import dev.realtime.verify.RawHttp.Endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The verifier's raw HTTP/1.1 reads what a proxy in front of the service may send. */
class RawHttpTest {
    @Test
    void aChunkedBodyIsReadWhole() throws IOException {
        HttpServer chunking = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        chunking.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(403, 0); // 0: chunked
            for (String part : new String[] {"{\"code\":", "\"origin_not_allowed\"}"}) {
                exchange.getResponseBody().write(part.getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
            }
            exchange.close();
        });
        chunking.start();
        try {
            var response = RawHttp.exchange(Endpoint.local(chunking.getAddress().getPort()), "GET", "/", Map.of(), null);

            assertEquals(403, response.status());
            assertEquals("chunked", response.headers().firstValue("Transfer-Encoding").orElse(""));
            assertEquals("{\"code\":\"origin_not_allowed\"}", response.body());
        } finally {
            chunking.stop(0);
        }
    }
}
