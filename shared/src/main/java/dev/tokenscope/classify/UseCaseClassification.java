package dev.tokenscope.classify;

import java.util.Objects;
import java.util.Optional;

/**
 * What the use-case classifier says about one request: a category identifier from {@link UseCase}, an
 * optional sub-tag (programming: general / development_tools; roleplay: games / writers_resources / adult),
 * the model's probability for the category (0 for unclassified) and the prompt language.
 */
public record UseCaseClassification(String category, Optional<String> subtag, double confidence, Language language) {

    public UseCaseClassification {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(subtag, "subtag");
        Objects.requireNonNull(language, "language");
    }

    public static UseCaseClassification unclassified() {
        return new UseCaseClassification(UseCase.UNCLASSIFIED, Optional.empty(), 0.0, Language.UNDETERMINED);
    }
}
