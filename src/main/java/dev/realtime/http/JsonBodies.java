package dev.realtime.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;

/** Reading JSON request bodies and writing JSON answers, with the contract's errors for bad input. */
final class JsonBodies {
    private JsonBodies() {
    }

    /**
     * @param what what the object should hold, for the error detail (e.g. "'username' and 'password'")
     * @throws ApiException {@code unsupported_media_type}, {@code malformed_json} or {@code validation_failed}
     */
    static JsonNode readObject(ServerRequest req, String what) {
        var contentType = req.headers().contentType();
        if (contentType.isEmpty() || !contentType.get().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
        }
        // A request without a body has no entity at all, and reading it would throw (a 500): it is empty JSON.
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        JsonNode body = Json.parse(text);
        if (!body.isObject()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The body must be a JSON object with " + what + ".");
        }
        return body;
    }

    static void send(ServerResponse res, io.helidon.http.Status status, Object body) {
        res.headers().set(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        res.status(status).send(Json.write(body));
    }
}
