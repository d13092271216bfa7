package dev.tokenscope.classify;

import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Map;

/**
 * Scripts written by essentially one language among those seen in LLM logs. Devanagari is tagged Hindi
 * (Marathi and Nepali are not told apart), Bengali script Bengali (not Assamese).
 */
final class OtherScripts {

    private static final Map<UnicodeScript, Language> BY_SCRIPT = new EnumMap<>(UnicodeScript.class);

    static {
        put(UnicodeScript.GREEK, "el");
        put(UnicodeScript.HEBREW, "he");
        put(UnicodeScript.THAI, "th");
        put(UnicodeScript.DEVANAGARI, "hi");
        put(UnicodeScript.BENGALI, "bn");
        put(UnicodeScript.TAMIL, "ta");
        put(UnicodeScript.TELUGU, "te");
        put(UnicodeScript.KANNADA, "kn");
        put(UnicodeScript.MALAYALAM, "ml");
        put(UnicodeScript.GUJARATI, "gu");
        put(UnicodeScript.GURMUKHI, "pa");
        put(UnicodeScript.ORIYA, "or");
        put(UnicodeScript.SINHALA, "si");
        put(UnicodeScript.GEORGIAN, "ka");
        put(UnicodeScript.ARMENIAN, "hy");
        put(UnicodeScript.ETHIOPIC, "am");
        put(UnicodeScript.KHMER, "km");
        put(UnicodeScript.LAO, "lo");
        put(UnicodeScript.MYANMAR, "my");
        put(UnicodeScript.TIBETAN, "bo");
    }

    private OtherScripts() {
    }

    private static void put(UnicodeScript script, String code) {
        BY_SCRIPT.put(script, new Language(code));
    }

    static Language language(UnicodeScript script) {
        return BY_SCRIPT.get(script);
    }
}
