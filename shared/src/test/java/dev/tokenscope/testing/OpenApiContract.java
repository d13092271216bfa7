package dev.tokenscope.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.tokenscope.api.OpenApiDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an HTTP answer of the summary API against its OpenAPI 3.1 document (resources/api/openapi.json): the
 * path's operation must list the status, the content type must be one it declares, the body must validate against
 * that response's schema (JSON Schema 2020-12 in the OpenAPI 3.1 dialect, by networknt's validator, formats
 * asserted) and each header it declares must validate against its schema. An unknown route answers the document's
 * NotFound response and a refused method its MethodNotAllowed.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCATION = "classpath:" + OpenApiDocument.RESOURCE.substring(1);
    private static final List<String> OPENAPI_FIELDS = List.of("openapi", "info", "jsonSchemaDialect", "servers",
            "security", "tags", "paths", "components", "webhooks", "externalDocs");

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    public OpenApiContract() {
        try {
            document = JSON.readTree(OpenApiDocument.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The validator reads the whole document as the resource its schemas live in: the OpenAPI fields around
        // them are no schema keywords, and are declared so (else it warns of each as unknown).
        Dialect openApi = Dialect.builder(Dialects.getOpenApi31()).keywords(OPENAPI_FIELDS.stream()
                .map(NonValidationKeyword::new).toList()).build();
        registry = SchemaRegistry.withDialect(openApi, builder -> builder.schemaRegistryConfig(
                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    public JsonNode document() {
        return document;
    }

    /**
     * The path template of the document that a request path falls under, if any ("/v1/figures/{figure}"). As the
     * API routes it: one trailing slash ignored.
     */
    public Optional<String> template(String path) {
        String routed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Iterator<String> names = document.get("paths").fieldNames(); names.hasNext(); ) {
            String template = names.next();
            // Literal but for the {parameters}, each one segment: "." in openapi.json is a dot.
            String pattern = "\\Q" + template.replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (routed.matches(pattern)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    /**
     * The query parameters the document gives a request path: those of its operation, and of a figure's filters
     * only those its schema lists. Empty for a path the document does not have.
     */
    public List<String> queryParameters(String path) {
        Optional<String> template = template(path);
        if (template.isEmpty()) {
            return List.of();
        }
        JsonNode operation = document.at("/paths/" + escape(template.get()) + "/get");
        Optional<JsonNode> figure = template.get().contains("{figure}")
                ? Optional.ofNullable(document.at("/components/schemas/FigureTable/discriminator/mapping")
                        .get(path.substring(path.lastIndexOf('/') + 1)))
                        .map(ref -> document.at(ref.asText().substring(1) + "/properties/filters/properties"))
                : Optional.empty();
        List<String> names = new ArrayList<>();
        for (JsonNode reference : operation.path("parameters")) {
            JsonNode parameter = refOf(reference).map(this::resolve).orElse(reference);
            String name = parameter.get("name").asText();
            boolean filter = parameter.path("description").asText().startsWith("filter:");
            if (parameter.get("in").asText().equals("query") && (!filter || figure.map(f -> f.has(name)).orElse(false))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * What is wrong with one answer, empty when it matches the document.
     *
     * @param path    the request's path (without query)
     * @param headers response headers, names in any case
     */
    public List<String> problems(String method, String path, int status, Map<String, String> headers, String body) {
        List<String> problems = new ArrayList<>();
        String where = method + " " + path + " -> " + status + ": ";
        Optional<String> template = template(path);
        String pointer;
        if (status == 405) {
            pointer = "/components/responses/MethodNotAllowed";
        } else if (template.isEmpty()) {
            if (status != 404) {
                return List.of(where + "no path of the document matches, so only its 404 NotFound fits");
            }
            pointer = "/components/responses/NotFound";
        } else {
            String operation = "/paths/" + escape(template.get()) + "/get/responses/" + status;
            if (document.at(operation).isMissingNode()) {
                return List.of(where + "the document lists no " + status + " for GET " + template.get());
            }
            pointer = operation;
        }
        JsonNode response = resolve(pointer);
        pointer = refOf(document.at(pointer)).orElse(pointer);

        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        String contentType = lower.getOrDefault("content-type", "");
        String mediaType = contentType.split(";")[0].trim();
        if (!response.has("content")) {
            // A response without content (a redirect): its body is empty.
            if (!body.isEmpty()) {
                problems.add(where + "a body where the document declares none: " + abbreviate(body));
            }
        } else if (!response.path("content").has(mediaType)) {
            problems.add(where + "content type '" + contentType + "' is not one the document declares: "
                    + response.path("content").fieldNames().next());
            return problems;
        }
        if (response.has("content") && !"HEAD".equals(method)) {
            String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
            // A CSV body is checked as the JSON string it is (its schema: a string).
            String instance = mediaType.equals("application/json") ? body : quoted(body);
            Optional<String> chosen = discriminated(schemaPointer, instance);
            if (chosen.isEmpty()) {
                problems.add(where + "body: no schema for its discriminator value: " + abbreviate(body));
                return problems;
            }
            for (Error error : schema(chosen.get()).validate(instance, InputFormat.JSON)) {
                problems.add(where + "body: " + error);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String value = lower.get(header.getKey().toLowerCase(Locale.ROOT));
            if (value == null) {
                problems.add(where + "header " + header.getKey() + " is missing");
                continue;
            }
            String headerPointer = refOf(header.getValue()).orElse(pointer + "/headers/" + escape(header.getKey()));
            for (Error error : schema(headerPointer + "/schema").validate(quoted(value), InputFormat.JSON)) {
                problems.add(where + "header " + header.getKey() + ": " + error);
            }
        }
        return problems;
    }

    /**
     * The schema a body is to match: for a oneOf with a discriminator, the one its mapping names for the body's
     * value, as OpenAPI tools choose (and in one pass over the body, where the oneOf takes one per alternative);
     * empty when the body's value has no mapping. Otherwise the schema itself.
     */
    private Optional<String> discriminated(String schemaPointer, String body) {
        JsonNode schema = resolve(schemaPointer);
        if (!schema.has("discriminator")) {
            return Optional.of(schemaPointer);
        }
        try {
            JsonNode value = JSON.readTree(body).path(schema.at("/discriminator/propertyName").asText());
            return Optional.ofNullable(schema.at("/discriminator/mapping").get(value.asText()))
                    .map(ref -> ref.asText().substring(1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** A schema of the document by JSON pointer, its references resolved within the document. */
    public Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> {
            Schema schema = registry.getSchema(SchemaLocation.of(LOCATION + "#" + p));
            schema.initializeValidators();
            return schema;
        });
    }

    private JsonNode resolve(String pointer) {
        JsonNode node = document.at(pointer);
        Optional<String> ref = refOf(node);
        return ref.isPresent() ? resolve(ref.get()) : node;
    }

    private static Optional<String> refOf(JsonNode node) {
        return node.has("$ref") ? Optional.of(node.get("$ref").asText().substring(1)) : Optional.empty();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String quoted(String text) {
        return JSON.getNodeFactory().textNode(text).toString();
    }
}
