package dev.tokenscope.ingest;

/** Why one line of one file could not be read: enough for a user to find and fix it. */
public record LineError(String file, long line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
