package dev.realtime.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The breaking-change gate CI runs: api-specs/ against the baseline tools/contract-baseline.sh extracted into
 * {@code CONTRACT_BASELINE} (the last release tag, else the merge base with main, else on main the parent commit).
 * Without that variable (a plain local build) there is nothing to compare with and it is skipped; a document the
 * baseline does not have yet is new, so compatible by definition.
 */
class ApiSpecsCompatibilityTest {
    private static final String BASELINE = "CONTRACT_BASELINE";

    @Test
    void openApiIsCompatibleWithTheBaselineOrRaisesItsMajorVersion() {
        assertCompatible("openapi.yaml", OpenApiCompatibility::compare);
    }

    @Test
    void asyncApiIsCompatibleWithTheBaselineOrRaisesItsMajorVersion() {
        assertCompatible("asyncapi.yaml", AsyncApiCompatibility::compare);
    }

    private static void assertCompatible(String document, BiFunction<Path, Path, Verdict> comparison) {
        Verdict verdict = comparison.apply(baseline(document), Path.of("api-specs", document));
        System.out.println("Contract gate (baseline " + describe() + "): " + verdict.report());
        assertTrue(verdict.passes(), verdict.report());
    }

    private static Path baseline(String document) {
        String directory = System.getenv(BASELINE);
        assumeTrue(directory != null && !directory.isBlank(),
                   BASELINE + " is not set: run tools/contract-baseline.sh and export what it prints (.ci/run does)");
        Path file = Path.of(directory, document);
        assumeTrue(Files.exists(file), "The baseline has no " + document + ": it is new");
        return file;
    }

    private static String describe() {
        try {
            return Files.readString(Path.of(System.getenv(BASELINE), "BASELINE")).strip();
        } catch (java.io.IOException e) {
            return System.getenv(BASELINE);
        }
    }
}
