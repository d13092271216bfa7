package dev.tokenscope.classify;

import java.util.Objects;

/**
 * A language tag: an ISO 639-1 code, {@code zh-Hans} / {@code zh-Hant} for Chinese, or {@code und} when the
 * text is too short, is only code, or gives no usable signal.
 */
public record Language(String code) {

    /** Undetermined: what {@link LanguageIdentifier#identify} says rather than guess. */
    public static final Language UNDETERMINED = new Language("und");

    public Language {
        Objects.requireNonNull(code, "code");
        if (code.isBlank()) {
            throw new IllegalArgumentException("language code must not be blank");
        }
    }

    public static Language of(String code) {
        return "und".equals(code) ? UNDETERMINED : new Language(code);
    }

    public boolean isDetermined() {
        return !"und".equals(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
