package dev.tokenscope.recompute;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the SQL files that both engines run. */
public final class SqlFiles {

    private SqlFiles() {
    }

    public static String load(String name) {
        try (InputStream in = SqlFiles.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource sql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
