package dev.tokenscope.local;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Demo usage logs in the canonical format: a few weeks of traffic over several models, ending today, from a fixed
 * seed, so `up --demo` shows the same kind of picture on every machine.
 */
final class DemoLogs {

    /** A demo model: id as logged, provider, and price per million prompt / completion tokens in USD. */
    private record Model(String id, String provider, double promptPrice, double completionPrice, boolean reasoning) {
    }

    private static final List<Model> MODELS = List.of(
            new Model("anthropic.claude-sonnet-4-20250514-v1:0", "bedrock", 3.0, 15.0, true),
            new Model("openai/gpt-4o-mini", "openrouter", 0.15, 0.60, false),
            new Model("deepseek/deepseek-chat-v3", "openrouter", 0.27, 1.10, false),
            new Model("qwen/qwen3-coder", "openrouter", 0.20, 0.80, false),
            new Model("meta-llama/llama-3.3-70b-instruct", "litellm", 0.10, 0.30, false),
            new Model("google/gemini-2.5-flash", "openrouter", 0.30, 2.50, true));

    private static final List<String> APPS = List.of("support-bot", "code-assistant", "docs-search", "batch-jobs");

    /**
     * Prompts written for the demo, by app, so the use-case and language figures have something to show; the
     * text is classified at ingest and never stored.
     */
    private static final List<List<String>> PROMPTS = List.of(
            List.of("My invoice for October shows two charges for the same plan, can you check why?",
                    "How do I reset my password if I no longer have access to the email on file?",
                    "Necesito cambiar la dirección de envío de mi pedido 4471, ¿es posible todavía?",
                    "Pouvez-vous m'expliquer les conditions de résiliation de mon contrat ?",
                    "Write a short, friendly reply apologising for the late delivery and offering a discount."),
            List.of("Write a Python function that parses an ISO 8601 timestamp and returns epoch milliseconds.",
                    "Why does this Java code throw a NullPointerException when the map is empty?",
                    "Refactor this React component to use hooks instead of a class component.",
                    "Fix the failing unit test in src/test/OrderServiceTest.java and run mvn test again.",
                    "Write a SQL query that returns the top five customers by revenue per month."),
            List.of("What is the difference between a Roth IRA and a traditional IRA?",
                    "Summarise the main symptoms of iron deficiency and when to see a doctor.",
                    "Explain photosynthesis to a ten-year-old in three sentences.",
                    "Translate this paragraph into German: Our office will be closed on Monday for the holiday.",
                    "什么是量子纠缠？请用简单的语言解释。"),
            List.of("Draft a product description for a waterproof hiking backpack, about 80 words, upbeat tone.",
                    "Summarise the following meeting notes into five action items with owners.",
                    "Write a limerick about a cat who learns to code.",
                    "You are a dungeon master. Describe the tavern the party walks into and ask what they do.",
                    "Classify the sentiment of these customer reviews as positive, neutral or negative."));
    private static final String AGENT_TOOLS = "[\"read_file\",\"write_to_file\",\"execute_command\"]";
    private static final List<String> COUNTRIES = List.of("US", "DE", "IN", "BR", "JP", "SG", "GB", "FR");
    private static final List<String> FINISH = List.of("stop", "stop", "stop", "length", "tool_calls");

    private DemoLogs() {
    }

    /** One day's log as gzip JSON Lines. */
    static byte[] day(LocalDate day, int requests, long seed) {
        Random random = new Random(seed ^ day.toEpochDay() * 0x9E3779B97F4A7C15L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            for (int i = 0; i < requests; i++) {
                Model model = MODELS.get(Math.min(MODELS.size() - 1, (int) Math.abs(random.nextGaussian() * 2)));
                long prompt = 200 + (long) Math.abs(random.nextGaussian() * 3000);
                long completion = 50 + (long) Math.abs(random.nextGaussian() * 600);
                long reasoning = model.reasoning() ? completion / 3 : 0;
                long cacheRead = random.nextInt(4) == 0 ? prompt / 2 : 0;
                BigDecimal cost = BigDecimal.valueOf(prompt * model.promptPrice() + completion * model.completionPrice())
                        .divide(BigDecimal.valueOf(1_000_000), 10, RoundingMode.HALF_EVEN);
                String finish = FINISH.get(random.nextInt(FINISH.size()));
                Instant ts = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
                int app = random.nextInt(APPS.size());
                List<String> prompts = PROMPTS.get(app);
                String text = prompts.get(random.nextInt(prompts.size()));
                out.write("{\"request_id\":\"demo-" + day + "-" + i + "\",\"timestamp\":\"" + ts + "\","
                        + "\"user_id\":\"user-" + random.nextInt(40) + "\",\"app\":\"" + APPS.get(random.nextInt(APPS.size()))
                        + "\",\"tags\":{\"env\":\"demo\"},\"provider\":\"" + model.provider() + "\",\"model\":\""
                        + model.id() + "\",\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                        + ",\"reasoning_tokens\":" + reasoning + ",\"cache_read_tokens\":" + cacheRead
                        + ",\"cost_usd\":" + cost.toPlainString() + ",\"finish_reason\":\"" + finish
                        + "\",\"tools_offered\":" + (finish.equals("tool_calls") || random.nextBoolean())
                        // Half of the coding assistant's requests come from an agent that edits files.
                        + (app == 1 && random.nextBoolean() ? ",\"tools\":" + AGENT_TOOLS : "")
                        + ",\"streamed\":" + random.nextBoolean() + ",\"latency_ms\":" + (200 + random.nextInt(5000))
                        + ",\"country\":\"" + COUNTRIES.get(random.nextInt(COUNTRIES.size())) + "\",\"prompt\":"
                        + "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
