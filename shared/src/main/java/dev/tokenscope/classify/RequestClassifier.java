package dev.tokenscope.classify;

import java.util.List;
import java.util.Optional;

/**
 * The port every use-case classifier implements: the embedded model ({@link UseCaseClassifier}) and any
 * second implementation (an LLM, a sampled mix of both). Given what a request carries, it says what the
 * request was for and in which language. Implementations never keep the text.
 */
public interface RequestClassifier {

    /**
     * @param systemPrompt the system prompt, when the log has one
     * @param userText     the user's text (may be empty when only a system prompt was logged)
     * @param toolsOffered names of the tools the request offered
     * @param app          the application that made the request, when known
     */
    UseCaseClassification classify(Optional<String> systemPrompt, String userText, List<String> toolsOffered,
            Optional<String> app);
}
