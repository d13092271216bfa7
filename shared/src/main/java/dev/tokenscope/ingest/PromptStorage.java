package dev.tokenscope.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What of a prompt may reach the warehouse. By default nothing: the text is used in flight (classification) and
 * dropped. A user may turn on a keyed hash (HMAC-SHA256 under their own key: repeated prompts can be counted
 * and joined, and without the key a hash cannot be tested against guessed prompts), and, separately, storage
 * of the text itself. DynamoDB never holds either: rollups carry only labels.
 */
public record PromptStorage(Optional<byte[]> hashKey, boolean storeText) {

    /** The default: neither hash nor text. */
    public static final PromptStorage NONE = new PromptStorage(Optional.empty(), false);

    /** Keys shorter than this are refused: a short key is a guessable key. */
    public static final int MIN_KEY_BYTES = 16;

    public PromptStorage {
        hashKey = hashKey.map(byte[]::clone);
        if (hashKey.isPresent() && hashKey.get().length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the prompt hash key must be at least " + MIN_KEY_BYTES + " bytes");
        }
    }

    public static PromptStorage of(String hashKey, boolean storeText) {
        return new PromptStorage(hashKey == null || hashKey.isEmpty() ? Optional.empty()
                : Optional.of(hashKey.getBytes(StandardCharsets.UTF_8)), storeText);
    }

    /** A hasher for one writer (Mac is not thread-safe); empty when hashing is off. */
    Optional<Hasher> hasher() {
        return hashKey.map(Hasher::new);
    }

    /** HMAC-SHA256 of a prompt's UTF-8 bytes, as 64 lower-case hex digits. */
    static final class Hasher {
        private final Mac mac;

        Hasher(byte[] key) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }

        String hash(String text) {
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    public String toString() {
        // Never the key.
        return "PromptStorage[hash=" + hashKey.isPresent() + ", text=" + storeText + "]";
    }
}
