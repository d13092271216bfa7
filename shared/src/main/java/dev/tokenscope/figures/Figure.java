package dev.tokenscope.figures;

import java.util.Arrays;
import java.util.Optional;

/** The report's figures (../docs/figures.md), each one table the FigureService computes from the store. */
public enum Figure {
    CATEGORIES("categories", 1, "Token share by use-case category, overall and within open and proprietary models"),
    SUBTAGS("subtags", 1, "Token share of each sub-tag within its category"),
    OPEN_SHARE("open-share", 2, "Open vs proprietary token share, open split by origin"),
    CONCENTRATION("concentration", 3, "Concentration of open-weight tokens: top model and author, top 5, HHI"),
    SIZES("sizes", 4, "Token share by model size"),
    REASONING("reasoning", 5, "Reasoning-model share of tokens; reasoning tokens as a share of completion tokens"),
    TOOL_CALLS("tool-calls", 6, "Share of tokens in requests that ended in a tool call; share of requests offered tools"),
    REQUEST_SHAPE("request-shape", 7, "Prompt and completion tokens per request: mean, p50, p90, p99; prompts over 20K"),
    AUTHOR_SPEND("author-spend", 8, "Spend share by model author within each category"),
    REGIONS("regions", 9, "Spend and tokens by continent and by country"),
    LANGUAGES("languages", 9, "Tokens by prompt language"),
    RETENTION("retention", 10, "Retention cohorts per model: share of each month's new users active k months after"),
    QUADRANTS("quadrants", 11, "Cost per 1M tokens vs tokens per category, split at the medians"),
    ELASTICITY("elasticity", 12, "Price elasticity: slope of ln(tokens) on ln(price) across models, 95% CI");

    private final String id;
    private final int reportFigure;
    private final String title;

    Figure(String id, int reportFigure, String title) {
        this.id = id;
        this.reportFigure = reportFigure;
        this.title = title;
    }

    /** The name in routes and files. */
    public String id() {
        return id;
    }

    /** Which of the report's figures (docs/figures.md numbers them) this table gives. */
    public int reportFigure() {
        return reportFigure;
    }

    public String title() {
        return title;
    }

    public static Optional<Figure> byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}
