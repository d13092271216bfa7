package dev.tokenscope.classify;

/**
 * Splits Arabic script: Urdu by letters Arabic and Persian lack (ٹ ڈ ڑ ں ھ ے), Persian by پ چ ژ گ and
 * the Persian forms of ye and kaf (ی ک), which Arabic writes ي ك; Arabic otherwise.
 */
final class Arabic {

    private Arabic() {
    }

    static Language of(String text) {
        int ur = 0;
        int fa = 0;
        int ar = 0;
        for (int i = 0; i < text.length(); i++) {
            switch (text.charAt(i)) {
                case '\u0679', '\u0688', '\u0691', '\u06BA', '\u06BE', '\u06D2', '\u06D3' -> ur++;
                case '\u067E', '\u0686', '\u0698', '\u06AF', '\u06CC', '\u06A9' -> fa++;
                case '\u064A', '\u0643', '\u0629' -> ar++; // ي ك ة
                default -> { }
            }
        }
        if (ur > 0) {
            return Language.of("ur");
        }
        return fa > ar ? Language.of("fa") : Language.of("ar");
    }
}
