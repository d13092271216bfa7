package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Totals;
import java.util.Map;

/**
 * Figure 3, concentration: the share of open-weight tokens held by the top model and by the top author, the
 * top five's share and the HHI, from one period's open_model and open_author rollups.
 *
 * <p>By author is the closer match to the report's "DeepSeek family (V3 and R1) held over half of OSS tokens":
 * the catalog has no model family, and a family is one author's models.
 */
public record OpenModelConcentration(Concentration byModel, Concentration byAuthor) {

    /** From one period's totals of the open_model and the open_author dimensions, keyed by value. */
    public static OpenModelConcentration of(Map<String, Totals> openModel, Map<String, Totals> openAuthor) {
        return new OpenModelConcentration(Concentration.among(openModel), Concentration.among(openAuthor));
    }
}
