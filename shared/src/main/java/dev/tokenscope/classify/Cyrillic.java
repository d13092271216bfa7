package dev.tokenscope.classify;

/**
 * Splits Cyrillic text by letters only one language uses (і ї є ґ Ukrainian, ў Belarusian, ђ ј љ њ ћ џ
 * Serbian, ѓ ќ ѕ Macedonian), then Russian against Bulgarian by ы э ё (Russian only) against ъ inside a
 * word and a few Bulgarian-only words. Russian when nothing else shows.
 */
final class Cyrillic {

    private Cyrillic() {
    }

    static Language of(String text) {
        int uk = 0, be = 0, sr = 0, mk = 0, ru = 0, bg = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = Character.toLowerCase(text.charAt(i));
            switch (c) {
                case 'ї', 'є', 'ґ' -> uk += 2;
                case 'і' -> uk++;
                case 'ў' -> be += 2;
                case 'ђ', 'ј', 'љ', 'њ', 'ћ', 'џ' -> sr++;
                case 'ѓ', 'ќ', 'ѕ' -> mk++;
                case 'ы', 'э', 'ё' -> ru++;
                case 'ъ' -> {
                    if (i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                        bg++; // Bulgarian writes ъ as a vowel; Russian only as a hard sign before е ё ю я
                        if ("еёюя".indexOf(Character.toLowerCase(text.charAt(i + 1))) >= 0) {
                            bg--;
                        }
                    }
                }
                default -> { }
            }
        }
        bg += bulgarianWords(text);
        if (be > 0 && be >= uk) {
            return Language.of("be");
        }
        if (uk > 0) {
            return Language.of("uk");
        }
        if (sr > 0 && sr >= mk) {
            return Language.of("sr");
        }
        if (mk > 0) {
            return Language.of("mk");
        }
        return bg > ru ? Language.of("bg") : Language.of("ru");
    }

    private static final java.util.Set<String> BULGARIAN = java.util.Set.of(
        "е", "са", "ще", "това", "които", "която", "който", "във", "със", "тя", "този", "тази", "някой", "нещо",
        "защо", "днес", "може", "много", "тук");

    private static int bulgarianWords(String text) {
        int count = 0;
        for (String w : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}]+")) {
            if (BULGARIAN.contains(w)) {
                count++;
            }
        }
        return count;
    }
}
