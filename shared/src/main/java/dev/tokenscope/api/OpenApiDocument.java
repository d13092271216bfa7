package dev.tokenscope.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI 3.1 document of the summary API (resources/api/openapi.json), as the API serves it. */
public final class OpenApiDocument {

    /** The classpath resource, for tests that validate responses against it. */
    public static final String RESOURCE = "/api/openapi.json";

    private OpenApiDocument() {
    }

    public static String text() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
