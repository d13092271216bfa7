package dev.tokenscope.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.catalog.CatalogJson;
import dev.tokenscope.catalog.ModelFacts;
import dev.tokenscope.catalog.ModelIds;
import dev.tokenscope.catalog.PriceSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * `tokenscope catalog build`: merges the public model facts in ../shared/data/catalog (models.dev cards,
 * an OpenRouter models snapshot, LiteLLM's price list, Epoch AI's notable models) into the catalog
 * resource. Precedence per fact is written in docs/catalog.md; the output is sorted so a rebuild of the
 * same sources gives the same bytes.
 */
public final class CatalogBuild {

    static final String USAGE = "usage: tokenscope catalog build [--data DIR] [--out FILE]";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** How sources and ids spell a lab, onto one spelling per lab. */
    private static final Map<String, String> AUTHOR_SPELLINGS = Map.ofEntries(
            Map.entry("meta-llama", "meta"), Map.entry("mistralai", "mistral"), Map.entry("x-ai", "xai"),
            Map.entry("z-ai", "zhipuai"), Map.entry("zai", "zhipuai"), Map.entry("qwen", "alibaba"),
            Map.entry("dashscope", "alibaba"), Map.entry("moonshot", "moonshotai"), Map.entry("gemini", "google"),
            Map.entry("vertex_ai-language-models", "google"), Map.entry("bytedance-seed", "bytedance"),
            Map.entry("ibm-granite", "ibm"), Map.entry("cohere_chat", "cohere"), Map.entry("rekaai", "reka"),
            Map.entry("text-completion-openai", "openai"), Map.entry("ai21", "ai21"));

    /** LiteLLM providers that are the lab itself, so their entries carry the lab's list prices. */
    private static final Map<String, String> FIRST_PARTY = Map.ofEntries(
            Map.entry("openai", "openai"), Map.entry("text-completion-openai", "openai"),
            Map.entry("anthropic", "anthropic"), Map.entry("deepseek", "deepseek"), Map.entry("mistral", "mistral"),
            Map.entry("xai", "xai"), Map.entry("gemini", "google"), Map.entry("vertex_ai-language-models", "google"),
            Map.entry("dashscope", "alibaba"), Map.entry("moonshot", "moonshotai"), Map.entry("zai", "zhipuai"),
            Map.entry("minimax", "minimax"), Map.entry("cohere_chat", "cohere"), Map.entry("cohere", "cohere"),
            Map.entry("ai21", "ai21"), Map.entry("perplexity", "perplexity"));

    /** Model-name prefixes that name their lab, for entries whose source does not say who made them. */
    private static final List<String[]> NAME_PREFIXES = List.of(
            new String[] {"claude", "anthropic"}, new String[] {"gpt-oss", "openai"}, new String[] {"gpt-", "openai"},
            new String[] {"chatgpt", "openai"}, new String[] {"o1", "openai"}, new String[] {"o3", "openai"},
            new String[] {"o4", "openai"}, new String[] {"davinci", "openai"}, new String[] {"babbage", "openai"},
            new String[] {"gemini", "google"}, new String[] {"gemma", "google"}, new String[] {"llama", "meta"},
            new String[] {"codellama", "meta"}, new String[] {"mistral", "mistral"}, new String[] {"mixtral", "mistral"},
            new String[] {"open-mistral", "mistral"}, new String[] {"open-mixtral", "mistral"},
            new String[] {"codestral", "mistral"}, new String[] {"ministral", "mistral"},
            new String[] {"pixtral", "mistral"}, new String[] {"magistral", "mistral"},
            new String[] {"devstral", "mistral"}, new String[] {"deepseek", "deepseek"},
            new String[] {"qwen", "alibaba"}, new String[] {"qwq", "alibaba"}, new String[] {"qvq", "alibaba"},
            new String[] {"glm", "zhipuai"}, new String[] {"chatglm", "zhipuai"}, new String[] {"kimi", "moonshotai"},
            new String[] {"moonshot", "moonshotai"}, new String[] {"minimax", "minimax"},
            new String[] {"grok", "xai"}, new String[] {"command", "cohere"}, new String[] {"aya-", "cohere"},
            new String[] {"jamba", "ai21"}, new String[] {"nova-", "amazon"}, new String[] {"titan", "amazon"},
            new String[] {"phi-", "microsoft"}, new String[] {"nemotron", "nvidia"},
            new String[] {"hunyuan", "tencent"}, new String[] {"ernie", "baidu"}, new String[] {"doubao", "bytedance"},
            new String[] {"yi-", "01-ai"}, new String[] {"granite", "ibm"}, new String[] {"sonar", "perplexity"},
            new String[] {"mimo", "xiaomi"}, new String[] {"step-", "stepfun"}, new String[] {"exaone", "lg"},
            new String[] {"falcon", "tii"}, new String[] {"olmo", "allenai"}, new String[] {"dbrx", "databricks"},
            new String[] {"palmyra", "writer"}, new String[] {"solar", "upstage"}, new String[] {"hermes", "nousresearch"});

    /** The country of each lab (the organisation's home, as Epoch AI records it for the ones it lists). */
    private static final Map<String, String> LAB_COUNTRY = Map.ofEntries(
            Map.entry("openai", "US"), Map.entry("anthropic", "US"), Map.entry("google", "US"),
            Map.entry("meta", "US"), Map.entry("xai", "US"), Map.entry("microsoft", "US"), Map.entry("amazon", "US"),
            Map.entry("nvidia", "US"), Map.entry("perplexity", "US"), Map.entry("ibm", "US"),
            Map.entry("databricks", "US"), Map.entry("allenai", "US"), Map.entry("writer", "US"),
            Map.entry("reka", "US"), Map.entry("nousresearch", "US"), Map.entry("liquid", "US"),
            Map.entry("inflection", "US"), Map.entry("arcee-ai", "US"), Map.entry("cohere", "CA"),
            Map.entry("mistral", "FR"), Map.entry("ai21", "IL"), Map.entry("tii", "AE"), Map.entry("lg", "KR"),
            Map.entry("upstage", "KR"), Map.entry("sakana", "JP"), Map.entry("sarvam", "IN"),
            Map.entry("deepseek", "CN"), Map.entry("alibaba", "CN"), Map.entry("zhipuai", "CN"),
            Map.entry("moonshotai", "CN"), Map.entry("minimax", "CN"), Map.entry("xiaomi", "CN"),
            Map.entry("stepfun", "CN"), Map.entry("tencent", "CN"), Map.entry("baidu", "CN"),
            Map.entry("bytedance", "CN"), Map.entry("01-ai", "CN"), Map.entry("inclusionai", "CN"),
            Map.entry("kwaipilot", "CN"));

    private static final Map<String, String> EPOCH_COUNTRY = Map.ofEntries(
            Map.entry("China", "CN"), Map.entry("United States of America", "US"), Map.entry("France", "FR"),
            Map.entry("United Kingdom of Great Britain and Northern Ireland", "GB"), Map.entry("Canada", "CA"),
            Map.entry("Israel", "IL"), Map.entry("Korea (Republic of)", "KR"), Map.entry("Japan", "JP"),
            Map.entry("United Arab Emirates", "AE"), Map.entry("Germany", "DE"), Map.entry("India", "IN"));

    private static final Pattern TOTAL_IN_NAME = Pattern.compile("(?<![a-z0-9.])(\\d+(?:\\.\\d+)?)b(?![a-z0-9])");
    private static final Pattern ACTIVE_IN_NAME = Pattern.compile("(?<![a-z0-9])a(\\d+(?:\\.\\d+)?)b(?![a-z0-9])");
    private static final Pattern EXPERTS_IN_NAME =
            Pattern.compile("(?<![a-z0-9.])(\\d+)x(\\d+(?:\\.\\d+)?)b(?![a-z0-9])");
    private static final Pattern CHAT_SUFFIX = Pattern.compile("-(instruct|it|chat)$");

    private CatalogBuild() {
    }

    /** Runs `catalog build` with its options; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || !args.get(0).equals("build")) {
            err.println(USAGE);
            return 2;
        }
        Path root = Main.projectRoot();
        Path data = root.resolve("../shared/data/catalog").normalize();
        Path target = root.resolve("shared/src/main/resources/catalog/models.json");
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--data") || arg.equals("--out")) && i + 1 < args.size()) {
                Path value = Path.of(args.get(++i)).toAbsolutePath();
                if (arg.equals("--data")) {
                    data = value;
                } else {
                    target = value;
                }
            } else {
                err.println("tokenscope: unknown or incomplete option " + arg);
                err.println(USAGE);
                return 2;
            }
        }
        if (!Files.isDirectory(data)) {
            err.println("tokenscope: no catalog sources at " + data + " (expected models-dev/, litellm-model-prices/,"
                    + " epoch-ai-notable-models/)");
            return 1;
        }
        List<ModelFacts> models = build(data);
        String json = CatalogJson.write(models);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, json, StandardCharsets.UTF_8);
        out.println(summary(models, json.getBytes(StandardCharsets.UTF_8).length) + " -> " + target);
        return 0;
    }

    static String summary(List<ModelFacts> models, long bytes) {
        long aliases = models.stream().mapToLong(m -> m.aliases().size()).sum();
        return "%d models, %d aliases, %d bytes; author %d, origin %d, open weights %d, parameters %d, size %d, prices %d"
                .formatted(models.size(), aliases, bytes,
                        models.stream().filter(m -> !m.author().equals(ModelFacts.UNKNOWN)).count(),
                        models.stream().filter(m -> !m.origin().equals(ModelFacts.UNKNOWN)).count(),
                        models.stream().filter(m -> m.openWeights().isPresent()).count(),
                        models.stream().filter(m -> m.parametersTotal().isPresent()).count(),
                        models.stream().filter(m -> !m.sizeBucket().equals(ModelFacts.UNKNOWN)).count(),
                        models.stream().filter(m -> !m.prices().isEmpty()).count());
    }

    /** Builds the catalog from a folder laid out like ../shared/data/catalog; missing sources are skipped. */
    public static List<ModelFacts> build(Path data) throws IOException {
        Map<String, Group> groups = new TreeMap<>();
        Map<String, String> aliasOwner = new TreeMap<>();
        readModelsDev(data.resolve("models-dev/models_toml"), groups, aliasOwner);
        List<String[]> slugs = readOpenRouter(data.resolve("models-dev/openrouter_api_v1_models_snapshot.json"),
                groups, aliasOwner);
        readLiteLlm(data.resolve("litellm-model-prices/model_prices_and_context_window.json"), groups, aliasOwner);
        // Secondary spellings (OpenRouter's canonical slugs) only where no model already answers to them.
        for (String[] slug : slugs) {
            String key = ModelIds.key(slug[1]);
            if (!aliasOwner.containsKey(key) && !groups.containsKey(key) && !groups.containsKey(ModelIds.undated(key))) {
                aliasOwner.put(key, slug[0]);
                groups.get(slug[0]).aliases.add(slug[1].toLowerCase(Locale.ROOT));
            }
        }
        Map<String, String[]> epoch = readEpoch(data.resolve("epoch-ai-notable-models/notable_ai_models.csv"));
        List<ModelFacts> models = new ArrayList<>();
        for (Group g : groups.values()) {
            models.add(g.facts(epoch.get(g.key) != null ? epoch.get(g.key)
                    : epoch.get(CHAT_SUFFIX.matcher(g.key).replaceAll(""))));
        }
        return models;
    }

    private static Group group(Map<String, Group> groups, Map<String, String> aliasOwner, String id) {
        String key = ModelIds.key(id);
        Group g = groups.computeIfAbsent(ModelIds.undated(key), Group::new);
        g.aliases.add(id.toLowerCase(Locale.ROOT));
        aliasOwner.putIfAbsent(key, g.key);
        return g;
    }

    // models.dev: models_toml/<lab>/<model>.toml; only the few top-level keys used here are read.
    private static void readModelsDev(Path dir, Map<String, Group> groups, Map<String, String> aliasOwner)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        for (Path file : files) {
            String lab = file.getParent().getFileName().toString().toLowerCase(Locale.ROOT);
            String name = file.getFileName().toString().replaceFirst("\\.toml$", "");
            Map<String, String> top = new TreeMap<>();
            String section = "";
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.startsWith("[")) {
                    section = line.replaceAll("[\\[\\]]", "");
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    top.putIfAbsent(section + "." + line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            String output = top.getOrDefault("modalities.output", "[\"text\"]");
            if (!output.contains("\"text\"")) {
                continue;
            }
            Group g = group(groups, aliasOwner, lab + "/" + name);
            g.mdLab = g.mdLab == null ? lab : g.mdLab;
            g.mdOpen = first(g.mdOpen, bool(top.get(".open_weights")));
            g.mdReasoning = first(g.mdReasoning, bool(top.get(".reasoning")));
            g.mdTools = first(g.mdTools, bool(top.get(".tool_call")));
            g.released = first(g.released, date(unquote(top.get(".release_date"))));
        }
    }

    private static List<String[]> readOpenRouter(Path file, Map<String, Group> groups, Map<String, String> aliasOwner)
            throws IOException {
        List<String[]> slugs = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return slugs;
        }
        List<JsonNode> models = new ArrayList<>();
        MAPPER.readTree(file.toFile()).path("data").forEach(models::add);
        models.sort(Comparator.comparing(m -> m.path("id").asText()));
        for (JsonNode m : models) {
            String id = m.path("id").asText();
            boolean text = false;
            for (JsonNode o : m.path("architecture").path("output_modalities")) {
                text |= o.asText().equals("text");
            }
            if (id.isEmpty() || id.startsWith("~") || id.startsWith("openrouter/") || !text) {
                continue;
            }
            Group g = group(groups, aliasOwner, id);
            String prefix = id.substring(0, Math.max(0, id.indexOf('/')));
            g.orAuthor = first(g.orAuthor, prefix.isEmpty() ? null : prefix);
            if (!m.path("hugging_face_id").isNull() && !m.path("hugging_face_id").asText().isBlank()) {
                g.orOpen = true;
            }
            for (JsonNode p : m.path("supported_parameters")) {
                g.orReasoning |= p.asText().equals("reasoning");
                g.orTools |= p.asText().equals("tools");
            }
            if (m.hasNonNull("created")) {
                g.released2 = first(g.released2,
                        LocalDate.ofInstant(Instant.ofEpochSecond(m.get("created").asLong()), ZoneOffset.UTC));
            }
            JsonNode p = m.path("pricing");
            g.prices.add(new Candidate(2, exact(g, id), id, price(p, "prompt"), price(p, "completion"),
                    price(p, "internal_reasoning"), price(p, "input_cache_read"), price(p, "input_cache_write")));
            String slug = m.path("canonical_slug").asText("");
            if (!slug.isEmpty() && !slug.equalsIgnoreCase(id)) {
                slugs.add(new String[] {g.key, slug});
            }
        }
        return slugs;
    }

    private static void readLiteLlm(Path file, Map<String, Group> groups, Map<String, String> aliasOwner)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode root = MAPPER.readTree(file.toFile());
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        for (String id : keys) {
            JsonNode e = root.get(id);
            String mode = e.path("mode").asText("");
            if (!e.isObject() || !(mode.equals("chat") || mode.equals("completion"))) {
                continue;
            }
            Group g = group(groups, aliasOwner, id);
            String provider = e.path("litellm_provider").asText("");
            String lab = FIRST_PARTY.get(provider);
            g.liteAuthor = first(g.liteAuthor, lab);
            g.liteSeen = true;
            g.liteReasoning |= e.path("supports_reasoning").asBoolean(false);
            g.liteTools |= e.path("supports_function_calling").asBoolean(false);
            int rank = lab != null ? 0
                    : provider.startsWith("bedrock") || provider.startsWith("vertex_ai") || provider.startsWith("azure")
                            ? 1 : 3;
            g.prices.add(new Candidate(rank, exact(g, id), id, price(e, "input_cost_per_token"),
                    price(e, "output_cost_per_token"), price(e, "output_cost_per_reasoning_token"),
                    price(e, "cache_read_input_token_cost"), price(e, "cache_creation_input_token_cost")));
        }
    }

    /** Epoch AI rows by the lookup key of their name: {parameters, accessibility, country}. */
    private static Map<String, String[]> readEpoch(Path file) throws IOException {
        Map<String, String[]> byKey = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return byKey;
        }
        // Epoch's abstracts hold quotes, commas and line breaks.
        Iterator<List<String>> rows = Csv.read(Files.readString(file, StandardCharsets.UTF_8)).iterator();
        List<String> header = rows.next();
        int model = header.indexOf("Model");
        int params = header.indexOf("Parameters");
        int access = header.indexOf("Model accessibility");
        int country = header.indexOf("Country (from Organization)");
        while (rows.hasNext()) {
            List<String> row = rows.next();
            if (row.size() <= Math.max(Math.max(model, params), Math.max(access, country))) {
                continue;
            }
            byKey.putIfAbsent(ModelIds.key(row.get(model)),
                    new String[] {row.get(params), row.get(access), row.get(country)});
        }
        return byKey;
    }

    private static boolean exact(Group g, String id) {
        return ModelIds.key(id).equals(g.key);
    }

    private static Optional<BigDecimal> price(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            return Optional.empty();
        }
        try {
            BigDecimal d = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
            return d.signum() < 0 ? Optional.empty() : Optional.of(d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static <T> T first(T current, T candidate) {
        return current != null ? current : candidate;
    }

    private static Boolean bool(String value) {
        return value == null ? null : Boolean.valueOf(value.equals("true"));
    }

    private static String unquote(String value) {
        return value == null ? null : value.replaceAll("^\"|\"$", "");
    }

    private static LocalDate date(String value) {
        if (value == null) {
            return null;
        }
        String v = value.length() == 4 ? value + "-01-01" : value.length() == 7 ? value + "-01" : value;
        try {
            return LocalDate.parse(v);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private record Candidate(int rank, boolean exact, String id, Optional<BigDecimal> input,
            Optional<BigDecimal> output, Optional<BigDecimal> reasoning, Optional<BigDecimal> cacheRead,
            Optional<BigDecimal> cacheWrite) {
    }

    /** The facts gathered for one model key from every source, before precedence is applied. */
    private static final class Group {
        final String key;
        final TreeSet<String> aliases = new TreeSet<>();
        final List<Candidate> prices = new ArrayList<>();
        String mdLab;
        Boolean mdOpen;
        Boolean mdReasoning;
        Boolean mdTools;
        LocalDate released;
        String orAuthor;
        boolean orOpen;
        boolean orReasoning;
        boolean orTools;
        LocalDate released2;
        String liteAuthor;
        boolean liteSeen;
        boolean liteReasoning;
        boolean liteTools;

        Group(String key) {
            this.key = key;
        }

        ModelFacts facts(String[] epoch) {
            String author = spelled(mdLab != null ? mdLab : orAuthor != null ? orAuthor
                    : liteAuthor != null ? liteAuthor : byName(key));
            Optional<String> country = Optional.ofNullable(LAB_COUNTRY.get(author));
            if (country.isEmpty() && epoch != null) {
                country = Optional.ofNullable(EPOCH_COUNTRY.get(epoch[2].split(",")[0].strip()));
            }
            Optional<Boolean> open = Optional.ofNullable(mdOpen);
            if (open.isEmpty() && orOpen) {
                open = Optional.of(true);
            }
            if (open.isEmpty() && epoch != null && !epoch[1].isBlank()) {
                open = Optional.of(epoch[1].startsWith("Open weights"));
            }
            OptionalLong total = nameNumber(TOTAL_IN_NAME);
            if (epoch != null && !epoch[0].isBlank()) {
                long fromEpoch = (long) Double.parseDouble(epoch[0]);
                // Epoch's figure is more precise, unless the name disagrees outright (a data slip).
                if (total.isEmpty() || Math.abs(fromEpoch - total.getAsLong()) <= total.getAsLong() / 4) {
                    total = OptionalLong.of(fromEpoch);
                }
            }
            OptionalLong active = total.isPresent() ? nameNumber(ACTIVE_IN_NAME) : OptionalLong.empty();
            String bucket = total.isPresent() ? ModelFacts.sizeBucketOf(total.getAsLong()) : experts();
            Optional<Boolean> reasoning = Optional.ofNullable(mdReasoning != null ? mdReasoning
                    : liteReasoning || orReasoning ? Boolean.TRUE : liteSeen ? Boolean.FALSE : null);
            Optional<Boolean> tools = Optional.ofNullable(mdTools != null ? mdTools
                    : liteTools || orTools ? Boolean.TRUE : liteSeen ? Boolean.FALSE : null);
            List<PriceSchedule> schedules = prices.stream()
                    .filter(c -> c.input().isPresent() || c.output().isPresent())
                    .min(Comparator.comparingInt(Candidate::rank).thenComparing(c -> !c.exact())
                            .thenComparing(Candidate::id))
                    .map(c -> List.of(new PriceSchedule(released != null ? released
                            : released2 != null ? released2 : LocalDate.EPOCH, c.input(), c.output(), c.reasoning(),
                            c.cacheRead(), c.cacheWrite())))
                    .orElse(List.of());
            return new ModelFacts(key, author, ModelFacts.originOf(country), country, open, total, active, bucket,
                    reasoning, tools, List.copyOf(aliases), schedules);
        }

        private OptionalLong nameNumber(Pattern pattern) {
            for (String alias : aliases) {
                Matcher m = pattern.matcher(alias.substring(alias.lastIndexOf('/') + 1));
                if (m.find()) {
                    return OptionalLong.of(new BigDecimal(m.group(1)).movePointRight(9).longValue());
                }
            }
            return OptionalLong.empty();
        }

        private String experts() {
            for (String alias : aliases) {
                Matcher m = EXPERTS_IN_NAME.matcher(alias.substring(alias.lastIndexOf('/') + 1));
                if (m.find()) {
                    return ModelFacts.sizeBucketOf(new BigDecimal(m.group(2)).movePointRight(9)
                            .multiply(new BigDecimal(m.group(1))).longValue());
                }
            }
            return ModelFacts.UNKNOWN;
        }

        private static String byName(String key) {
            for (String[] prefix : NAME_PREFIXES) {
                if (key.startsWith(prefix[0])) {
                    return prefix[1];
                }
            }
            return ModelFacts.UNKNOWN;
        }

        private static String spelled(String author) {
            String lower = author.toLowerCase(Locale.ROOT);
            return AUTHOR_SPELLINGS.getOrDefault(lower, lower);
        }
    }
}
