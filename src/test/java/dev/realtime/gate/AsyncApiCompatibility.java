package dev.realtime.gate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * asyncapi.yaml against its baseline. {@code asyncapi diff} (@asyncapi/cli 6.2.0, @asyncapi/diff 0.5.0) cannot do
 * this for AsyncAPI 3: it reports every change under {@code components/} as "unclassified" (a renamed required field
 * of a message gives {@code []} with {@code --type breaking}) and classifies any {@code info.version} edit as
 * breaking. So the rules are here, from the reader's side of each message, like openapi-diff's for requests and
 * responses: a message the server <em>sends</em> is read by clients, one it <em>receives</em> is read by the server.
 * <ul>
 *     <li>a channel, operation or message removed, an operation's action or a channel's address changed;</li>
 *     <li>in a payload (following {@code $ref}s): a property removed, a type or {@code const} changed, an
 *     alternative of {@code oneOf}/{@code anyOf} removed;</li>
 *     <li>in a message the server receives: a property newly required, an enum value removed,
 *     {@code additionalProperties: false} added;</li>
 *     <li>in a message the server sends: a required property made optional, an enum value added.</li>
 * </ul>
 * Added optional properties, new messages and operations, and descriptions are compatible.
 */
public final class AsyncApiCompatibility {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private enum Reader {
        /** The server sends it: clients read it. */
        CLIENT("server -> client"),
        /** The server receives it. */
        SERVER("client -> server");

        private final String label;

        Reader(String label) {
            this.label = label;
        }
    }

    private final JsonNode baseline;
    private final JsonNode current;
    private final List<String> breaking = new ArrayList<>();

    private AsyncApiCompatibility(JsonNode baseline, JsonNode current) {
        this.baseline = baseline;
        this.current = current;
    }

    public static Verdict compare(Path baseline, Path current) {
        var comparison = new AsyncApiCompatibility(read(baseline), read(current));
        comparison.compareDocuments();
        return new Verdict("asyncapi.yaml", comparison.baseline.at("/info/version").asText(),
                           comparison.current.at("/info/version").asText(), List.copyOf(comparison.breaking));
    }

    private void compareDocuments() {
        baseline.path("channels").properties().forEach(channel -> {
            JsonNode now = current.path("channels").path(channel.getKey());
            if (now.isMissingNode()) {
                breaking.add("channel " + channel.getKey() + " removed");
                return;
            }
            if (!channel.getValue().path("address").equals(now.path("address"))) {
                breaking.add("channel " + channel.getKey() + ": address changed from " + channel.getValue().path("address")
                                     + " to " + now.path("address"));
            }
        });
        baseline.path("operations").properties().forEach(operation -> {
            JsonNode now = current.path("operations").path(operation.getKey());
            if (now.isMissingNode()) {
                breaking.add("operation " + operation.getKey() + " removed");
            } else if (!operation.getValue().path("action").equals(now.path("action"))) {
                breaking.add("operation " + operation.getKey() + ": action changed from " + operation.getValue().path("action")
                                     + " to " + now.path("action"));
            }
        });
        Map<String, Reader> readers = readers(baseline);
        readers.forEach((message, reader) -> {
            JsonNode was = baseline.at(message.substring(1));
            JsonNode now = current.at(message.substring(1));
            String name = "message " + message.substring(message.lastIndexOf('/') + 1) + " (" + reader.label + ")";
            if (now.isMissingNode()) {
                breaking.add(name + " removed");
                return;
            }
            compareSchemas(name + " payload", resolve(baseline, resolve(baseline, was).path("payload")),
                           resolve(current, resolve(current, now).path("payload")), reader, new ArrayList<>());
        });
    }

    /** Each channel message the operations use ({@code #/channels/<c>/messages/<m>}), and who reads it. */
    private static Map<String, Reader> readers(JsonNode document) {
        Map<String, Reader> readers = new LinkedHashMap<>();
        document.path("operations").forEach(operation -> {
            boolean sends = operation.path("action").asText().equals("send");
            operation.path("messages").forEach(m -> readers.merge(m.path("$ref").asText(), sends ? Reader.CLIENT : Reader.SERVER, AsyncApiCompatibility::both));
            // A reply goes the other way.
            operation.path("reply").path("messages").forEach(m -> readers.merge(m.path("$ref").asText(), sends ? Reader.SERVER : Reader.CLIENT, AsyncApiCompatibility::both));
        });
        return readers;
    }

    /** A message both sent and received is held to the rules of a received one (the stricter for its fields). */
    private static Reader both(Reader a, Reader b) {
        return a == b ? a : Reader.SERVER;
    }

    /** {@code inProgress} holds the pairs of schemas being compared further up, so a recursive schema ends. */
    private void compareSchemas(String where, JsonNode was, JsonNode now, Reader reader, List<List<JsonNode>> inProgress) {
        List<JsonNode> pair = List.of(was, now);
        if (was.isMissingNode() || inProgress.stream().anyMatch(p -> p.get(0) == was && p.get(1) == now)) {
            return;
        }
        if (now.isMissingNode()) {
            breaking.add(where + " removed");
            return;
        }
        changed(where, "type", was.path("type"), now.path("type"));
        changed(where, "const", was.path("const"), now.path("const"));
        compareEnums(where, was.path("enum"), now.path("enum"), reader);
        for (String composition : List.of("oneOf", "anyOf")) {
            Set<String> alternatives = new HashSet<>();
            now.path(composition).forEach(alternative -> alternatives.add(alternative.toString()));
            was.path(composition).forEach(alternative -> {
                if (!alternatives.contains(alternative.toString())) {
                    breaking.add(where + ": " + composition + " alternative " + alternative + " removed");
                }
            });
        }

        Set<String> wasRequired = names(was.path("required"));
        Set<String> nowRequired = names(now.path("required"));
        was.path("properties").properties().forEach(property -> {
            String field = where + "." + property.getKey();
            JsonNode nowProperty = now.path("properties").path(property.getKey());
            if (nowProperty.isMissingNode()) {
                breaking.add(field + " removed");
                return;
            }
            if (reader == Reader.CLIENT && wasRequired.contains(property.getKey()) && !nowRequired.contains(property.getKey())) {
                breaking.add(field + " no longer required (clients may rely on it)");
            }
        });
        if (reader == Reader.SERVER) {
            nowRequired.stream().filter(name -> !wasRequired.contains(name))
                    .forEach(name -> breaking.add(where + "." + name + " newly required (clients do not send it yet)"));
            if (!was.path("additionalProperties").equals(now.path("additionalProperties"))
                    && now.path("additionalProperties").isBoolean() && !now.path("additionalProperties").asBoolean()) {
                breaking.add(where + ": additionalProperties: false added (other fields were accepted)");
            }
        }
        inProgress.add(pair);
        was.path("properties").properties().forEach(property -> {
            JsonNode nowProperty = now.path("properties").path(property.getKey());
            if (!nowProperty.isMissingNode()) {
                compareSchemas(where + "." + property.getKey(), resolve(baseline, property.getValue()),
                               resolve(current, nowProperty), reader, inProgress);
            }
        });
        compareSchemas(where + "[]", resolve(baseline, was.path("items")), resolve(current, now.path("items")), reader, inProgress);
        inProgress.removeLast();
    }

    private void compareEnums(String where, JsonNode was, JsonNode now, Reader reader) {
        if (was.isMissingNode() && now.isMissingNode()) {
            return;
        }
        Set<String> before = names(was);
        Set<String> after = names(now);
        if (reader == Reader.SERVER) {
            before.stream().filter(value -> !now.isMissingNode() && !after.contains(value))
                    .forEach(value -> breaking.add(where + ": enum value " + value + " removed (clients may send it)"));
            if (was.isMissingNode()) {
                breaking.add(where + ": restricted to the enum " + after);
            }
        } else {
            after.stream().filter(value -> !was.isMissingNode() && !before.contains(value))
                    .forEach(value -> breaking.add(where + ": enum value " + value + " added (clients do not know it)"));
        }
    }

    private void changed(String where, String keyword, JsonNode was, JsonNode now) {
        if (!was.isMissingNode() && !was.equals(now)) {
            breaking.add(where + ": " + keyword + " changed from " + was + " to " + (now.isMissingNode() ? "(none)" : now));
        }
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        array.forEach(value -> names.add(value.asText()));
        return names;
    }

    /** Follows local {@code $ref}s ({@code #/...}) until a node without one. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode resolved = node;
        for (int hops = 0; resolved.has("$ref") && hops < 16; hops++) {
            resolved = document.at(resolved.get("$ref").asText().substring(1));
        }
        return resolved;
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
