package dev.realtime.gate;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * openapi.yaml against its baseline with openapi-diff (OpenAPITools): its rules decide what is incompatible
 * (a removed operation or response field, a new required request field, a narrowed request enum, a widened
 * response enum, ...); its Markdown report is the evidence.
 */
public final class OpenApiCompatibility {
    private OpenApiCompatibility() {
    }

    public static Verdict compare(Path baseline, Path current) {
        ChangedOpenApi diff = OpenApiCompare.fromLocations(baseline.toUri().toString(), current.toUri().toString());
        List<String> breaking = diff.isIncompatible() ? List.of(render(diff)) : List.of();
        return new Verdict("openapi.yaml", diff.getOldSpecOpenApi().getInfo().getVersion(),
                           diff.getNewSpecOpenApi().getInfo().getVersion(), breaking);
    }

    /** openapi-diff's own account of the changes, one line per entry. */
    private static String render(ChangedOpenApi diff) {
        var out = new ByteArrayOutputStream();
        var writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        new MarkdownRender().render(diff, writer);
        String markdown = out.toString(StandardCharsets.UTF_8);
        return "openapi-diff reports incompatible changes:\n" + String.join("\n", Arrays.stream(markdown.split("\n"))
                .filter(line -> !line.isBlank()).map(line -> "    " + line).toList());
    }
}
