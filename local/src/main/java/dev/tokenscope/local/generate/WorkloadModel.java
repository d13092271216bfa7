package dev.tokenscope.local.generate;

import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.catalog.ModelFacts;
import dev.tokenscope.catalog.PriceSchedule;
import java.math.BigDecimal;
import java.util.List;

/**
 * A model the workload uses: how logs name it (a gateway slug, and Bedrock's id where Bedrock serves it) and the
 * facts the planted truths rest on, all from the built-in catalog so the prices are the catalog's own.
 *
 * @param slug      the id as a gateway logs it (OpenRouter, LiteLLM, OpenTelemetry, canonical)
 * @param bedrockId the id Bedrock logs, or the slug when Bedrock does not serve the model
 * @param input     USD per prompt token (the catalog's latest price)
 * @param output    USD per completion token
 */
public record WorkloadModel(String slug, String bedrockId, ModelFacts facts, BigDecimal input, BigDecimal output) {

    /** The models of the workload: the four classes (Chinese open or not, reasoning or not) each have several. */
    static final List<List<String>> IDS = List.of(
            List.of("anthropic/claude-sonnet-4", "anthropic.claude-sonnet-4-20250514-v1:0"),
            List.of("anthropic/claude-3.5-haiku", "anthropic.claude-3-5-haiku-20241022-v1:0"),
            List.of("openai/gpt-4o-mini", ""),
            List.of("openai/gpt-4.1", ""),
            List.of("google/gemini-2.5-flash", ""),
            List.of("google/gemini-2.5-pro", ""),
            List.of("x-ai/grok-code-fast-1", ""),
            List.of("meta-llama/llama-3.3-70b-instruct", ""),
            List.of("mistralai/mistral-small-3.2-24b-instruct", ""),
            List.of("openai/gpt-oss-120b", ""),
            List.of("deepseek/deepseek-chat-v3-0324", ""),
            List.of("deepseek/deepseek-r1", ""),
            List.of("moonshotai/kimi-k2", ""),
            List.of("qwen/qwen3-coder", ""),
            List.of("z-ai/glm-4.5", ""));

    static List<WorkloadModel> fromCatalog(ModelCatalog catalog) {
        return IDS.stream().map(ids -> {
            ModelFacts facts = catalog.lookup(ids.get(0))
                    .orElseThrow(() -> new IllegalStateException("the catalog has no model " + ids.get(0)));
            PriceSchedule price = facts.prices().get(facts.prices().size() - 1);
            return new WorkloadModel(ids.get(0), ids.get(1).isEmpty() ? ids.get(0) : ids.get(1), facts,
                    price.input().orElseThrow(), price.output().orElseThrow());
        }).toList();
    }

    public boolean chineseOpen() {
        return facts.origin().equals(ModelFacts.CHINA) && facts.openWeights().orElse(false);
    }

    public boolean reasoning() {
        return facts.reasoning().orElse(false);
    }

    /** USD per 1M tokens when a share {@code promptFraction} of the tokens are prompt tokens. */
    public double blendedPricePerMillion(double promptFraction) {
        return 1e6 * (promptFraction * input.doubleValue() + (1 - promptFraction) * output.doubleValue());
    }
}
