package dev.tokenscope.ingest;

/** A field of one record that is missing or malformed; the reader turns it into a LineError for that line. */
public final class InvalidFieldException extends RuntimeException {

    public InvalidFieldException(String message) {
        super(message, null, false, false);
    }
}
