package dev.tokenscope.local.classifier;

import static dev.tokenscope.classify.UseCase.CREATIVE_WRITING;
import static dev.tokenscope.classify.UseCase.EDUCATION;
import static dev.tokenscope.classify.UseCase.FINANCE;
import static dev.tokenscope.classify.UseCase.HEALTH;
import static dev.tokenscope.classify.UseCase.LEGAL;
import static dev.tokenscope.classify.UseCase.MARKETING;
import static dev.tokenscope.classify.UseCase.OTHER;
import static dev.tokenscope.classify.UseCase.PRODUCTIVITY;
import static dev.tokenscope.classify.UseCase.PROGRAMMING;
import static dev.tokenscope.classify.UseCase.ROLEPLAY;
import static dev.tokenscope.classify.UseCase.SCIENCE;
import static dev.tokenscope.classify.UseCase.TECHNOLOGY;
import static dev.tokenscope.classify.UseCase.TRANSLATION;
import static dev.tokenscope.classify.UseCase.TRIVIA;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How each labelled source in ../shared/data/prompts maps its own labels onto the project's categories.
 * Empty means "no matching category: not used for training or evaluation". Single-domain sources map by
 * source. Kept in one place so the mapping can be read and tested.
 */
public final class LabelMapping {

    private LabelMapping() {
    }

    /** Sources that are one domain as a whole. */
    public static final Map<String, String> BY_SOURCE = Map.ofEntries(
            Map.entry("openai-human-eval", PROGRAMMING), Map.entry("pubmedqa", HEALTH),
            Map.entry("medquad", HEALTH), Map.entry("gsm8k", EDUCATION), Map.entry("legalbench", LEGAL),
            Map.entry("tat-qa", FINANCE), Map.entry("workbench-office-tasks", PRODUCTIVITY),
            Map.entry("qmsum-meeting-queries", PRODUCTIVITY), Map.entry("rolebench", ROLEPLAY),
            Map.entry("chatharuhi-roleplay-zh", ROLEPLAY), Map.entry("scibench", SCIENCE));

    public static Optional<String> bySource(String source) {
        return Optional.ofNullable(BY_SOURCE.get(source));
    }

    /** FastChat MT-Bench and Vicuna bench `category`. Extraction has no category. */
    public static Optional<String> fastChat(String category) {
        return Optional.ofNullable(switch (category) {
            case "roleplay" -> ROLEPLAY;
            case "coding" -> PROGRAMMING;
            case "writing" -> CREATIVE_WRITING;
            case "stem" -> SCIENCE;
            case "math", "humanities" -> EDUCATION;
            case "reasoning", "knowledge", "generic", "common-sense", "fermi", "counterfactual" -> TRIVIA;
            default -> null;
        });
    }

    /** just-eval task_types[] and topics[]: the task decides first, then a domain topic, then info-seek. */
    public static Optional<String> justEval(List<String> taskTypes, List<String> topics) {
        if (taskTypes.contains("coding")) {
            return Optional.of(PROGRAMMING);
        }
        if (taskTypes.contains("role-play")) {
            return Optional.of(ROLEPLAY);
        }
        if (taskTypes.contains("math")) {
            return Optional.of(EDUCATION);
        }
        if (topics.contains("malicious")) {
            return Optional.empty();
        }
        if (topics.contains("medical")) {
            return Optional.of(HEALTH);
        }
        if (topics.contains("finance")) {
            return Optional.of(FINANCE);
        }
        if (taskTypes.contains("writing")) {
            return Optional.of(CREATIVE_WRITING);
        }
        if (topics.contains("stem") || topics.contains("nature")) {
            return Optional.of(SCIENCE);
        }
        if (taskTypes.contains("info-seek")) {
            return Optional.of(TRIVIA);
        }
        return Optional.empty();
    }

    /** AiShort tags, in priority order (a prompt often carries several). `language` is mixed: skipped. */
    private static final List<String[]> AISHORT = List.of(
            new String[] {"code", PROGRAMMING}, new String[] {"interpreter", PROGRAMMING},
            new String[] {"doctor", HEALTH}, new String[] {"finance", FINANCE}, new String[] {"seo", MARKETING},
            new String[] {"games", ROLEPLAY}, new String[] {"academic", EDUCATION},
            new String[] {"pedagogy", EDUCATION}, new String[] {"write", CREATIVE_WRITING},
            new String[] {"article", CREATIVE_WRITING});

    public static Optional<String> aiShort(List<String> tags) {
        for (String[] rule : AISHORT) {
            if (tags.contains(rule[0])) {
                return Optional.of(rule[1]);
            }
        }
        return Optional.empty();
    }

    /** awesome-chatgpt-prompts: topic words in the persona title, then for_devs, then role-play. */
    public static Optional<String> awesomePrompt(String act, boolean forDevs) {
        String a = act.toLowerCase(Locale.ROOT);
        if (a.contains("translator")) {
            return Optional.of(TRANSLATION);
        }
        if (a.contains("doctor") || a.contains("dentist")) {
            return Optional.of(HEALTH);
        }
        if (a.contains("accountant") || a.contains("financial")) {
            return Optional.of(FINANCE);
        }
        if (a.contains("lawyer") || a.contains("legal")) {
            return Optional.of(LEGAL);
        }
        if (a.contains("advertiser") || a.contains("social media")) {
            return Optional.of(MARKETING);
        }
        return Optional.of(forDevs ? PROGRAMMING : ROLEPLAY);
    }

    /** CLINC150 intents; unselected in-scope intents and out-of-scope requests are assistant chores: other. */
    public static Optional<String> clinc(String intent) {
        return Optional.of(switch (intent) {
            case "translate" -> TRANSLATION;
            case "definition", "spelling", "fun_fact", "meaning_of_life" -> TRIVIA;
            case "calories", "nutrition_info" -> HEALTH;
            case "interest_rate", "exchange_rate", "taxes", "income", "credit_score" -> FINANCE;
            case "tell_joke" -> CREATIVE_WRITING;
            default -> OTHER;
        });
    }

    /** BELLE eval `class`. */
    public static Optional<String> belle(String cls) {
        return Optional.ofNullable(switch (cls.replace('\u00a0', ' ')) {
            case "translation" -> TRANSLATION;
            case "code" -> PROGRAMMING;
            case "open qa" -> TRIVIA;
            case "generation" -> CREATIVE_WRITING;
            case "math" -> EDUCATION;
            default -> null;
        });
    }

    /** chat-dataset-baseline-zh topic files. */
    public static Optional<String> chatBaseline(String file) {
        String f = file.replace(".json", "");
        return Optional.ofNullable(switch (f) {
            case "代码问题" -> PROGRAMMING;
            case "学术问题", "气候环境问题wys" -> SCIENCE;
            case "名词解释类问题", "传统诗词及文化常识问题", "三国问题", "建议类问题" -> TRIVIA;
            case "情绪心理类问题", "饮食问题" -> HEALTH;
            case "申请书类", "企业管理问题", "心得体会类、宣传报道类" -> PRODUCTIVITY;
            case "翻译问题" -> TRANSLATION;
            case "计算机问题" -> TECHNOLOGY;
            default -> null;
        });
    }

    /** AGIEval Gaokao files. */
    public static Optional<String> gaokao(String subject) {
        return Optional.ofNullable(switch (subject) {
            case "biology", "chemistry", "physics" -> SCIENCE;
            case "geography", "history", "mathqa" -> EDUCATION;
            default -> null;
        });
    }

    /** TheoremQA `field`. */
    public static Optional<String> theoremQa(String field) {
        return Optional.ofNullable(switch (field) {
            case "Physics" -> SCIENCE;
            case "Finance" -> FINANCE;
            case "EECS" -> TECHNOLOGY;
            case "Math" -> EDUCATION;
            default -> null;
        });
    }

    private static final Set<String> WB_LEGAL = Set.of("Judgment Document", "Legal Consultation", "Legal Opinion",
            "Defense Plea", "Case Bulletin", "Legal Awareness Campaign", "Legal Agreement", "Litigation Documents",
            "Regulatory Analysis", "Case Study");

    /** WritingBench domain1 / domain2, as its SOURCE.md suggests. */
    public static Optional<String> writingBench(String domain1, String domain2) {
        return Optional.ofNullable(switch (domain1) {
            case "Advertising & Marketing" -> MARKETING;
            case "Finance & Business" -> switch (domain2) {
                case "Financial Reports", "Investment Analysis", "Risk Management" -> FINANCE;
                case "Market Analysis", "Market Research" -> MARKETING;
                default -> PRODUCTIVITY;
            };
            case "Education" -> EDUCATION;
            case "Literature & Arts" -> CREATIVE_WRITING;
            case "Academic & Engineering" -> switch (domain2) {
                case "Technical Documentation", "Test Report", "Engineering Report", "Patent" -> TECHNOLOGY;
                default -> EDUCATION;
            };
            case "Politics & Law" -> WB_LEGAL.contains(domain2) ? LEGAL : PRODUCTIVITY;
            default -> null;
        });
    }

    /** MMLU subjects (file name without split suffix). */
    public static Optional<String> mmlu(String subject) {
        if (subject.startsWith("high_school_") && subject.endsWith("_history")) {
            return Optional.of(EDUCATION);
        }
        return Optional.ofNullable(switch (subject) {
            case "college_computer_science", "high_school_computer_science" -> PROGRAMMING;
            case "computer_security", "machine_learning", "electrical_engineering" -> TECHNOLOGY;
            case "astronomy", "college_biology", "college_chemistry", "college_physics", "conceptual_physics",
                    "high_school_biology", "high_school_chemistry", "high_school_physics" -> SCIENCE;
            case "anatomy", "clinical_knowledge", "college_medicine", "human_aging", "human_sexuality",
                    "medical_genetics", "nutrition", "professional_medicine", "virology" -> HEALTH;
            case "international_law", "jurisprudence", "professional_law" -> LEGAL;
            case "econometrics", "high_school_macroeconomics", "high_school_microeconomics",
                    "professional_accounting" -> FINANCE;
            case "marketing", "public_relations" -> MARKETING;
            case "management", "business_ethics" -> PRODUCTIVITY;
            case "abstract_algebra", "college_mathematics", "elementary_mathematics", "high_school_mathematics",
                    "high_school_statistics", "formal_logic", "logical_fallacies", "high_school_geography",
                    "high_school_government_and_politics", "high_school_psychology",
                    "professional_psychology" -> EDUCATION;
            case "global_facts", "miscellaneous", "prehistory", "world_religions", "us_foreign_policy",
                    "security_studies", "sociology", "philosophy", "moral_disputes", "moral_scenarios" -> TRIVIA;
            default -> null;
        });
    }

    /** Own seed examples carry the category itself; this guards their spelling. */
    public static Optional<String> seed(String category) {
        return dev.tokenscope.classify.UseCase.identifiers().contains(category) ? Optional.of(category)
                : Optional.empty();
    }

}
