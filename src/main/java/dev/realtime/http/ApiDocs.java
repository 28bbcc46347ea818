package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import io.helidon.webserver.staticcontent.StaticContentConfig;

/**
 * The rendered API documentation at {@code /docs/}: the pages of {@code src/main/resources/docs/} (an index,
 * Swagger UI on {@code GET /openapi}, AsyncAPI's web component on {@code GET /asyncapi}) and Swagger UI's two files
 * from the {@code org.webjars:swagger-ui} jar. Every file comes from this service; nothing from a CDN.
 */
public final class ApiDocs {
    static final String CONTEXT = "/docs";
    /** The page that runs AsyncAPI's renderer; its response alone gets {@link #ASYNCAPI_PAGE_POLICY}. */
    static final String ASYNCAPI_PAGE = CONTEXT + "/websocket.html";
    /** The renderer's stylesheet, as websocket.html names it in {@code cssImportPath}. */
    static final String ASYNCAPI_STYLESHEET = CONTEXT + "/asyncapi-web-component.css";
    /**
     * The strict policy of {@link SecurityHeaders}, relaxed for AsyncAPI's renderer by exactly what it needs:
     * {@code 'unsafe-eval'}, because it parses and validates the document in the page with AJV, which compiles
     * JSON Schemas into functions ({@code new Function}); and the one inline {@code <style>} element it renders,
     * whose whole text is {@code @import '<cssImportPath>';}, allowed by its hash (no other inline style).
     * Scripts, styles and fetches still come from this origin only.
     */
    static final String ASYNCAPI_PAGE_POLICY = SecurityHeaders.CONTENT_SECURITY_POLICY
            .replace("script-src 'self';", "script-src 'self' 'unsafe-eval';")
            .replace("style-src 'self'", "style-src 'self' '" + sha256("@import '" + ASYNCAPI_STYLESHEET + "';") + "'");

    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/" + webjarVersion("swagger-ui") + "/";
    private static final List<String> SWAGGER_UI_FILES = List.of("swagger-ui-bundle.js", "swagger-ui.css");

    private ApiDocs() {
    }

    /** Adds the pages (with {@code /docs} redirected to {@code /docs/}, like the console) and Swagger UI's files. */
    public static void addTo(StaticContentConfig.Builder content) {
        content.addClasspath(docs -> docs.location("docs").context(CONTEXT).welcome("index.html"));
        SWAGGER_UI_FILES.forEach(file -> content.addClasspath(
                swagger -> swagger.location(SWAGGER_UI + file).singleFile(true).context(CONTEXT + "/" + file)));
    }

    /** The version of a webjar on the classpath, from its Maven metadata (so the pom alone names it). */
    private static String webjarVersion(String artifact) {
        String resource = "META-INF/maven/org.webjars/" + artifact + "/pom.properties";
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
