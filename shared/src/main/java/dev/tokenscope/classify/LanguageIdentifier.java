package dev.tokenscope.classify;

import java.io.InputStream;
import java.util.Set;

/**
 * Tags the language of a prompt with an ISO 639-1 code ({@code zh-Hans} / {@code zh-Hant} for Chinese) or
 * {@link Language#UNDETERMINED}.
 *
 * <p>How it decides, cheapest first:
 * <ol>
 *   <li>{@link NaturalText} keeps only the prose: fenced and inline code, URLs and code-like lines are
 *       dropped, and at most 1,500 characters of the first 16 KB are looked at, so the cost is bounded.</li>
 *   <li>The dominant script decides most languages outright (Hangul, kana, Greek, Hebrew, Thai, Indic
 *       scripts...). Han characters weigh three letters each, as one carries about a word.</li>
 *   <li>Han without kana is Chinese, split into simplified and traditional by {@link ChineseVariant};
 *       Cyrillic and Arabic script are split by letters only some languages use.</li>
 *   <li>Latin script goes to a character n-gram naive Bayes model ({@link LatinModel}) over
 *       {@link #LATIN_LANGUAGES}, on the first {@value #LATIN_SAMPLE} characters of prose, word by word, and
 *       stops early once one language leads by {@value #DECISIVE_LEAD} (natural log).</li>
 * </ol>
 * Too little prose (under {@value #MIN_LATIN_LETTERS} Latin letters, under 2 CJK characters or
 * {@value #MIN_OTHER_LETTERS} letters of another script) gives {@code und}. Deterministic, offline and
 * thread-safe; build one per process with {@link #standard()} and share it.
 */
public final class LanguageIdentifier {

    public static final String MODEL_RESOURCE = "/classify/latin-ngrams.tsv";
    static final int MIN_LATIN_LETTERS = 8;
    static final int MIN_OTHER_LETTERS = 4;
    /** Prose characters the n-gram model scores: enough to converge, and it bounds the cost per prompt. */
    static final int LATIN_SAMPLE = 600;
    /**
     * Log-likelihood lead (natural log) of the best Latin-script language over the second at which scoring
     * stops: the rest of the sample would have to be overwhelmingly in the other language to undo it. On the
     * 131,585 prompts and prompt fragments of shared/data no answer changes down to a lead of 80 (at 60, 13
     * "translate this" prompts do); English prose is decided after ~70 letters instead of ~185 on average.
     */
    static final double DECISIVE_LEAD = 120;

    static final Language ZH_HANS = new Language("zh-Hans");
    static final Language ZH_HANT = new Language("zh-Hant");

    /** The languages the Latin-script model was trained on (see docs/language.md). */
    public static final Set<String> LATIN_LANGUAGES = Set.of(
        "en", "es", "fr", "de", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "tr", "id", "vi", "ro", "hu");

    private static volatile LanguageIdentifier standard;

    private final LatinModel latin;
    private final Language[] latinTags;

    public LanguageIdentifier(LatinModel latin) {
        this.latin = latin;
        this.latinTags = new Language[latin.size()];
        for (int i = 0; i < latinTags.length; i++) {
            latinTags[i] = new Language(latin.language(i));
        }
    }

    /** The identifier with the model shipped in this jar, loaded once per process. */
    public static LanguageIdentifier standard() {
        LanguageIdentifier s = standard;
        if (s == null) {
            synchronized (LanguageIdentifier.class) {
                s = standard;
                if (s == null) {
                    try (InputStream in = LanguageIdentifier.class.getResourceAsStream(MODEL_RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("missing classpath resource " + MODEL_RESOURCE);
                        }
                        s = new LanguageIdentifier(LatinModel.read(in, MODEL_RESOURCE));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    standard = s;
                }
            }
        }
        return s;
    }

    public Language identify(String text) {
        if (text == null || text.isEmpty()) {
            return Language.UNDETERMINED;
        }
        String prose = NaturalText.extract(text);
        ScriptCounts counts = ScriptCounts.of(prose);
        return switch (counts.dominant()) {
            case LATIN -> counts.latin >= MIN_LATIN_LETTERS ? latin(prose) : Language.UNDETERMINED;
            case CJK -> {
                if (counts.han + counts.kana < 2) {
                    yield Language.UNDETERMINED;
                }
                // Japanese writes kana between its kanji; Chinese has none, or a stray の in a name.
                if (counts.kana > 0 && counts.kana * 10 >= counts.han) {
                    yield Language.of("ja");
                }
                yield ChineseVariant.of(prose);
            }
            case HANGUL -> counts.hangul >= 2 ? Language.of("ko") : Language.UNDETERMINED;
            case CYRILLIC -> counts.cyrillic >= MIN_OTHER_LETTERS ? Cyrillic.of(prose) : Language.UNDETERMINED;
            case ARABIC -> counts.arabic >= MIN_OTHER_LETTERS ? Arabic.of(prose) : Language.UNDETERMINED;
            case OTHER -> counts.other >= MIN_OTHER_LETTERS && counts.otherLanguage != null
                ? counts.otherLanguage : Language.UNDETERMINED;
            case NONE -> Language.UNDETERMINED;
        };
    }

    private Language latin(String prose) {
        double[] scores = new double[latin.size()];
        latin.score(prose, Math.min(prose.length(), LATIN_SAMPLE), scores, DECISIVE_LEAD);
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return latinTags[best];
    }
}
