package dev.tokenscope.classify;

import java.util.List;

/**
 * The use-case categories of the report, with their exact identifiers. {@link #identifiers()} are the classes
 * the model knows; {@link #UNCLASSIFIED} is the separate bucket for requests that carry no text at all.
 */
public final class UseCase {

    public static final String PROGRAMMING = "programming";
    public static final String ROLEPLAY = "roleplay";
    public static final String TRANSLATION = "translation";
    public static final String TRIVIA = "trivia";
    public static final String PRODUCTIVITY = "productivity";
    public static final String EDUCATION = "education";
    public static final String CREATIVE_WRITING = "creative_writing";
    public static final String SCIENCE = "science";
    public static final String TECHNOLOGY = "technology";
    public static final String HEALTH = "health";
    public static final String FINANCE = "finance";
    public static final String LEGAL = "legal";
    public static final String MARKETING = "marketing";
    public static final String ADULT = "adult";
    public static final String OTHER = "other";
    /** Not a class of the model: the bucket for logs without prompt text. */
    public static final String UNCLASSIFIED = "unclassified";

    private static final List<String> ALL = List.of(PROGRAMMING, ROLEPLAY, TRANSLATION, TRIVIA, PRODUCTIVITY,
            EDUCATION, CREATIVE_WRITING, SCIENCE, TECHNOLOGY, HEALTH, FINANCE, LEGAL, MARKETING, ADULT, OTHER);

    private UseCase() {
    }

    /** The 15 categories in a fixed order (the model's class order). */
    public static List<String> identifiers() {
        return ALL;
    }
}
