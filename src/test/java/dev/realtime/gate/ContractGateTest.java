package dev.realtime.gate;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The breaking-change gate on real spec files (src/test/resources/gate/, each the baseline with one change) with the
 * real diff tools: it fails on an incompatible change unless info.version's major number was raised, and passes on a
 * compatible one.
 */
class ContractGateTest {
    private static final Path FIXTURES = Path.of("src/test/resources/gate");

    @Test
    void aRenamedResponseFieldFailsTheGate() {
        Verdict verdict = openApi("openapi-renamed-response-field.yaml");
        assertFalse(verdict.passes(), verdict.report());
        assertTrue(verdict.report().contains("/login"), verdict.report());
        assertTrue(verdict.report().contains("raise info.version's major number"), verdict.report());
    }

    @Test
    void anAddedOptionalResponseFieldPassesTheGate() {
        Verdict verdict = openApi("openapi-added-optional-response-field.yaml");
        assertTrue(verdict.passes(), verdict.report());
        assertEquals("openapi.yaml 1.0.0 -> 1.1.0: compatible", verdict.report());
    }

    @Test
    void aRenamedResponseFieldPassesWhenTheMajorVersionWasRaised() {
        Verdict verdict = openApi("openapi-renamed-response-field-major.yaml");
        assertFalse(verdict.breakingChanges().isEmpty());
        assertTrue(verdict.passes(), verdict.report());
    }

    @Test
    void aRenamedMessageFieldFailsTheGate() {
        Verdict verdict = asyncApi("asyncapi-renamed-message-field.yaml");
        assertFalse(verdict.passes(), verdict.report());
        assertEquals(java.util.List.of("message welcome (server -> client) payload.sessionId removed"),
                     verdict.breakingChanges());
    }

    @Test
    void anAddedOptionalMessageFieldPassesTheGate() {
        Verdict verdict = asyncApi("asyncapi-added-optional-message-field.yaml");
        assertTrue(verdict.passes(), verdict.report());
        assertEquals("asyncapi.yaml 1.0.0 -> 1.1.0: compatible", verdict.report());
    }

    @Test
    void aRemovedMessageFailsTheGate() {
        Verdict verdict = asyncApi("asyncapi-removed-message.yaml");
        assertFalse(verdict.passes(), verdict.report());
        assertTrue(verdict.breakingChanges().contains("operation sendTick removed"), verdict.report());
        assertTrue(verdict.breakingChanges().contains("message tick (server -> client) removed"), verdict.report());
    }

    @Test
    void aNarrowedEnumOfAMessageClientsSendFailsTheGate() {
        Verdict verdict = asyncApi("asyncapi-narrowed-enum.yaml");
        assertFalse(verdict.passes(), verdict.report());
        assertEquals(java.util.List.of("message subscribe (client -> server) payload.topic: enum value ticks removed (clients may send it)"),
                     verdict.breakingChanges());
    }

    @Test
    void aRenamedMessageFieldPassesWhenTheMajorVersionWasRaised() {
        Verdict verdict = asyncApi("asyncapi-renamed-message-field-major.yaml");
        assertFalse(verdict.breakingChanges().isEmpty());
        assertTrue(verdict.passes(), verdict.report());
    }

    @Test
    void theMajorNumberIsTheLeadingNumberOfTheVersion() {
        assertEquals(1, Verdict.major("1.0.0"));
        assertEquals(12, Verdict.major("v12.3"));
        assertEquals(2, Verdict.major("2.0.0-rc.1"));
        assertEquals(0, Verdict.major("draft"));
    }

    @Test
    void theServicesOwnSpecsAreCompatibleWithThemselves() {
        Verdict http = OpenApiCompatibility.compare(Path.of("api-specs/openapi.yaml"), Path.of("api-specs/openapi.yaml"));
        Verdict ws = AsyncApiCompatibility.compare(Path.of("api-specs/asyncapi.yaml"), Path.of("api-specs/asyncapi.yaml"));
        assertTrue(http.passes() && http.breakingChanges().isEmpty(), http.report());
        assertTrue(ws.passes() && ws.breakingChanges().isEmpty(), ws.report());
    }

    private static Verdict openApi(String changed) {
        return OpenApiCompatibility.compare(FIXTURES.resolve("openapi-baseline.yaml"), FIXTURES.resolve(changed));
    }

    private static Verdict asyncApi(String changed) {
        return AsyncApiCompatibility.compare(FIXTURES.resolve("asyncapi-baseline.yaml"), FIXTURES.resolve(changed));
    }
}
