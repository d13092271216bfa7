package dev.tokenscope.local.classifier;

import java.util.Optional;

/** One labelled training or evaluation prompt: its source folder, optional system prompt, text and category. */
public record Example(String source, Optional<String> system, String text, String category) {
}
