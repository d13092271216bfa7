package dev.tokenscope.local.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String run(String input, ByteArrayOutputStream err, int expectedCode) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ClassifyCommand.run(List.of(), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_should_writeOneResultPerLineInInputOrder_when_givenJsonLines() throws Exception {
        String input = """
                {"id": 3, "text": "Translate into French: see you tomorrow"}
                {"id": "b", "text": ""}
                {"id": 1, "text": "You are a wizard. Stay in character. *I ask for a spell*"}
                """;

        List<String> lines = run(input, new ByteArrayOutputStream(), 0).lines().toList();

        assertEquals(3, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(3, first.get("id").asInt());
        assertEquals("translation", first.get("category").asText());
        assertTrue(first.get("subtag").isNull());
        assertEquals("en", first.get("language").asText());
        assertEquals("b", JSON.readTree(lines.get(1)).get("id").asText());
        assertEquals("unclassified", JSON.readTree(lines.get(1)).get("category").asText());
        JsonNode third = JSON.readTree(lines.get(2));
        assertEquals("roleplay", third.get("category").asText());
        assertEquals("games", third.get("subtag").asText());
        assertEquals(List.of("id", "category", "subtag", "confidence", "language"),
                List.copyOf(iterable(third.fieldNames())));
    }

    @Test
    void run_should_neverEchoTheText_when_classifying() throws Exception {
        String output = run("{\"id\": 1, \"text\": \"secret project falcon budget\"}\n", new ByteArrayOutputStream(), 0);

        assertFalse(output.contains("falcon"));
    }

    @Test
    void run_should_stopWithTheLineNumber_when_aLineIsNotJson() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        run("{\"id\": 1, \"text\": \"hi there\"}\nnot json\n", err, 1);

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2"));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
