package dev.tokenscope.classify;

import java.lang.Character.UnicodeScript;

/** Letters per script in a sample, and the script that dominates it. */
final class ScriptCounts {

    enum Dominant { LATIN, CJK, HANGUL, CYRILLIC, ARABIC, OTHER, NONE }

    /** One Han character carries about as much as a word; kana and Hangul syllables about half of one. */
    private static final int HAN_WEIGHT = 3;
    private static final int SYLLABLE_WEIGHT = 2;

    /** Fewer Latin letters than this in a CJK-framed prompt are names and terms, not a second text. */
    private static final int NAMES_ONLY = 120;

    int latin;
    private boolean cjkFirst;
    private boolean cjkLast;
    private boolean anyLetter;
    int han;
    int kana;
    int hangul;
    int cyrillic;
    int arabic;
    int other;
    Language otherLanguage;
    private UnicodeScript otherScript;

    static ScriptCounts of(CharSequence text) {
        ScriptCounts c = new ScriptCounts();
        int[] otherCounts = null;
        int n = text.length();
        int i = 0;
        // ASCII letters in a local, and the first letter's script seen once: most prompts are mostly ASCII.
        int ascii = 0;
        int lastAscii = -1;
        int lastOther = -1;
        for (; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) {
                    ascii++;
                    lastAscii = i;
                }
                continue;
            }
            UnicodeScript script = letterScript(ch);
            if (script == null) {
                continue; // also skips surrogates: scripts outside the BMP carry no supported language
            }
            lastOther = i;
            c.letter(script == UnicodeScript.HAN || script == UnicodeScript.HIRAGANA
                || script == UnicodeScript.KATAKANA, ascii > 0);
            switch (script) {
                case LATIN -> c.latin++;
                case HAN -> c.han++;
                case HIRAGANA, KATAKANA -> c.kana++;
                case HANGUL -> c.hangul++;
                case CYRILLIC -> c.cyrillic++;
                case ARABIC -> c.arabic++;
                default -> {
                    Language lang = OtherScripts.language(script);
                    if (lang != null) {
                        if (otherCounts == null) {
                            otherCounts = new int[UnicodeScript.values().length];
                        }
                        otherCounts[script.ordinal()]++;
                    }
                }
            }
        }
        c.latin += ascii;
        if (ascii > 0 && !c.anyLetter) {
            c.anyLetter = true;
            c.cjkFirst = false;
        }
        if (lastAscii > lastOther) {
            c.cjkLast = false;
        }
        if (otherCounts != null) {
            for (int s = 0; s < otherCounts.length; s++) {
                if (otherCounts[s] > c.other) {
                    c.other = otherCounts[s];
                    c.otherScript = UnicodeScript.values()[s];
                }
            }
            c.otherLanguage = OtherScripts.language(c.otherScript);
        }
        return c;
    }

    private static final UnicodeScript[] SCRIPTS = UnicodeScript.values();
    /**
     * Script of the letters of the BMP, filled in as characters are met (a search per character otherwise):
     * 0 not looked up yet, 1 not a letter, else the script's ordinal + 2. Threads may race to fill an entry;
     * they write the same value.
     */
    private static final byte[] LETTER_SCRIPT = new byte[0x10000];

    /** The script of {@code c} when it is a letter ({@link Character#isLetter}), else null. */
    static UnicodeScript letterScript(char c) {
        if (c < 0x80) {
            return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? UnicodeScript.LATIN : null;
        }
        int s = LETTER_SCRIPT[c] & 0xFF;
        if (s == 0) {
            s = Character.isLetter(c) ? UnicodeScript.of(c).ordinal() + 2 : 1;
            LETTER_SCRIPT[c] = (byte) s;
        }
        return s == 1 ? null : SCRIPTS[s - 2];
    }

    /** A letter outside ASCII; {@code asciiBefore} when an ASCII letter came first. */
    private void letter(boolean cjk, boolean asciiBefore) {
        if (!anyLetter) {
            cjkFirst = cjk && !asciiBefore;
            anyLetter = true;
        }
        cjkLast = cjk;
    }

    Dominant dominant() {
        int cjk = (han + kana) * HAN_WEIGHT;
        if (han + kana >= 3 && (han + kana) * 12 >= latin && latin < NAMES_ONLY
            && (cjkFirst || cjkLast || han + kana >= 5)) {
            // A Chinese or Japanese question around English names ("什么是Lifelong Kindergarten Group？"):
            // the few CJK characters that open or close it carry the grammar, the Latin letters are names.
            cjk = Math.max(cjk, latin + 1);
        }
        int best = 0;
        Dominant d = Dominant.NONE;
        if (latin > best) {
            best = latin;
            d = Dominant.LATIN;
        }
        if (cjk > best) {
            best = cjk;
            d = Dominant.CJK;
        }
        if (hangul * SYLLABLE_WEIGHT > best) {
            best = hangul * SYLLABLE_WEIGHT;
            d = Dominant.HANGUL;
        }
        if (cyrillic > best) {
            best = cyrillic;
            d = Dominant.CYRILLIC;
        }
        if (arabic > best) {
            best = arabic;
            d = Dominant.ARABIC;
        }
        if (other > best) {
            d = Dominant.OTHER;
        }
        return d;
    }
}
