package dev.tokenscope.api;

/** A request the caller can fix: becomes a 400 naming the parameter. */
final class BadRequestException extends RuntimeException {

    private final String parameter;

    BadRequestException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
