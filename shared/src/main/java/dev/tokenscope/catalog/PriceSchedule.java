package dev.tokenscope.catalog;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** Prices of one model in USD per token, in force from a date until the next schedule starts. */
public record PriceSchedule(LocalDate effectiveFrom, Optional<BigDecimal> input, Optional<BigDecimal> output,
        Optional<BigDecimal> reasoning, Optional<BigDecimal> cacheRead, Optional<BigDecimal> cacheWrite) {

    public PriceSchedule {
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(cacheRead, "cacheRead");
        Objects.requireNonNull(cacheWrite, "cacheWrite");
    }
}
