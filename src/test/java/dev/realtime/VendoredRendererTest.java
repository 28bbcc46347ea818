package dev.realtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The AsyncAPI renderer /docs/ serves is committed (the image is built without Node), so this holds it to the
 * version package.json pins: the checksums tools/vendor-asyncapi-renderer.sh recorded from that npm package still
 * match the committed files, and the recorded version is the pinned one. (CI's {@code npm run check:renderer}
 * also compares the files byte for byte with the package {@code npm ci} installs from the lockfile.)
 */
class VendoredRendererTest {
    private static final String PACKAGE = "@asyncapi/web-component";
    private static final Path MANIFEST = Path.of("tools/asyncapi-renderer.sha256");
    private static final Path SERVED = Path.of("src/main/resources/docs");

    @Test
    void theCommittedRendererIsThePinnedNpmPackageByteForByte() throws IOException {
        List<String> lines = Files.readAllLines(MANIFEST);
        String pinned = new ObjectMapper().readTree(Path.of("package.json").toFile())
                .path("devDependencies").path(PACKAGE).asText();
        JsonNode locked = new ObjectMapper().readTree(Path.of("package-lock.json").toFile())
                .path("packages").path("node_modules/" + PACKAGE);

        assertEquals("# " + PACKAGE + " " + pinned, lines.getFirst().substring(0, lines.getFirst().indexOf(" (")),
                     "tools/vendor-asyncapi-renderer.sh recorded another version than package.json pins: rerun it");
        assertEquals(pinned, locked.path("version").asText(), "package-lock.json locks another version: run npm install");
        List<String> files = lines.subList(1, lines.size());
        assertFalse(files.isEmpty());
        for (String line : files) {
            String[] hashAndFile = line.split(" {2}", 2);
            assertEquals(hashAndFile[0], sha256(SERVED.resolve(hashAndFile[1])),
                         hashAndFile[1] + " was changed by hand: rerun tools/vendor-asyncapi-renderer.sh");
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
