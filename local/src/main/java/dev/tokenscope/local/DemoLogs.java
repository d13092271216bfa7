package dev.tokenscope.local;

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
                out.write("{\"request_id\":\"demo-" + day + "-" + i + "\",\"timestamp\":\"" + ts + "\","
                        + "\"user_id\":\"user-" + random.nextInt(40) + "\",\"app\":\"" + APPS.get(random.nextInt(APPS.size()))
                        + "\",\"tags\":{\"env\":\"demo\"},\"provider\":\"" + model.provider() + "\",\"model\":\""
                        + model.id() + "\",\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                        + ",\"reasoning_tokens\":" + reasoning + ",\"cache_read_tokens\":" + cacheRead
                        + ",\"cost_usd\":" + cost.toPlainString() + ",\"finish_reason\":\"" + finish
                        + "\",\"tools_offered\":" + (finish.equals("tool_calls") || random.nextBoolean())
                        + ",\"streamed\":" + random.nextBoolean() + ",\"latency_ms\":" + (200 + random.nextInt(5000))
                        + ",\"country\":\"" + COUNTRIES.get(random.nextInt(COUNTRIES.size())) + "\"}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
