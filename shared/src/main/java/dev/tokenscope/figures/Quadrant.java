package dev.tokenscope.figures;

/** The four quadrants of the cost-vs-usage figure, named as the report names them. */
public enum Quadrant {
    PREMIUM_WORKLOADS("Premium Workloads", true, true),
    MASS_MARKET_VOLUME_DRIVERS("Mass-Market Volume Drivers", false, true),
    SPECIALIZED_EXPERTS("Specialized Experts", true, false),
    NICHE_UTILITIES("Niche Utilities", false, false);

    private final String label;
    private final boolean highCost;
    private final boolean highVolume;

    Quadrant(String label, boolean highCost, boolean highVolume) {
        this.label = label;
        this.highCost = highCost;
        this.highVolume = highVolume;
    }

    /** The report's name for it. */
    public String label() {
        return label;
    }

    public boolean highCost() {
        return highCost;
    }

    public boolean highVolume() {
        return highVolume;
    }

    static Quadrant of(boolean highCost, boolean highVolume) {
        for (Quadrant q : values()) {
            if (q.highCost == highCost && q.highVolume == highVolume) {
                return q;
            }
        }
        throw new AssertionError("every pair of flags has a quadrant");
    }
}
