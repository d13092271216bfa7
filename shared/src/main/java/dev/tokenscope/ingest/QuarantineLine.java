package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of a quarantine object: the file, the line and why it was refused. The line's content is not copied
 * (it may hold a prompt); the file and line number find it.
 */
final class QuarantineLine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuarantineLine() {
    }

    static String json(LineError error) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", error.file());
        node.put("line", error.line());
        node.put("reason", error.reason());
        return node.toString();
    }
}
