package dev.tokenscope.ingest;

/** No format claims a file (or the declared one is unknown): the file is rejected whole, never half-read. */
public final class UnrecognisedFormatException extends RuntimeException {

    public UnrecognisedFormatException(String message) {
        super(message, null, false, false);
    }
}
