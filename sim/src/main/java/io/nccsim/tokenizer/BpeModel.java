package io.nccsim.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Byte-pair encoding as tokenizer.json's {@code BPE} model does it: a word starts as one token per character, and
 * the adjacent pair whose merge comes first in the file's merge list (the lowest rank) is merged, again and again,
 * until no adjacent pair has a merge. With the byte-level pre-tokenizer every character is one of the 256 byte
 * symbols, all in the vocabulary, so no text is unknown (GPT-2, Llama-3, Qwen2, SmolLM).
 *
 * <p>A character missing from the vocabulary becomes its UTF-8 bytes as {@code <0xXX>} tokens when
 * {@code byte_fallback} is on (Llama-2's files), else the unknown token (consecutive ones fused into one when
 * {@code fuse_unk} is on), else, with no unknown token, nothing at all, as in Hugging Face's library.
 */
final class BpeModel implements SubwordModel {
    /** Words already cut; bounded, since a long text has many distinct words. */
    private static final int CACHE_LIMIT = 50_000;

    /** A merge: its rank (position in the merge list) and the id of the token it makes. */
    private record Merge(int rank, int id) {
    }

    private final Map<String, Integer> vocab;
    private final Map<Long, Merge> merges;
    private final int unknownId;
    private final boolean fuseUnknown;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeModel(Map<String, Integer> vocab, Map<Long, Merge> merges, int unknownId, boolean fuseUnknown,
                     boolean byteFallback, boolean ignoreMerges) {
        this.vocab = Map.copyOf(vocab);
        this.merges = merges;
        this.unknownId = unknownId;
        this.fuseUnknown = fuseUnknown;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
    }

    static BpeModel read(JsonField f) {
        Map<String, Integer> vocab = SubwordModel.readVocab(f.get("vocab"));
        for (String unsupported : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            JsonField u = f.get(unsupported);
            if (!u.isNull() && !u.text().isEmpty()) {
                throw u.error("null (BPE with a " + unsupported + " is not supported)");
            }
        }
        JsonField dropout = f.get("dropout");
        if (!dropout.isNull()) {
            throw dropout.error("null (BPE dropout makes encoding random; nccsim encodes deterministically)");
        }
        Map<Long, Merge> merges = new HashMap<>();
        List<JsonField> list = f.get("merges").items();
        for (int rank = 0; rank < list.size(); rank++) {
            JsonField m = list.get(rank);
            String left;
            String right;
            if (m.isText()) {
                // "a b": tokens of a byte-level or SentencePiece vocabulary hold no plain space
                String[] parts = m.text().split(" ", -1);
                if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    throw m.error("a merge \"left right\" (two tokens and one space)");
                }
                left = parts[0];
                right = parts[1];
            } else {
                List<JsonField> pair = m.items();
                if (pair.size() != 2) {
                    throw m.error("a merge [left, right] of two tokens");
                }
                left = pair.get(0).text();
                right = pair.get(1).text();
            }
            Integer a = vocab.get(left);
            Integer b = vocab.get(right);
            Integer merged = vocab.get(left + right);
            if (a == null || b == null || merged == null) {
                String missing = a == null ? left : b == null ? right : left + right;
                throw m.problem("merge '" + left + "' + '" + right + "' uses '" + missing
                        + "', which is not in model.vocab; expected both tokens and their concatenation there");
            }
            merges.putIfAbsent(pairKey(a, b), new Merge(rank, merged)); // a repeated merge keeps its first rank
        }
        JsonField unk = f.get("unk_token");
        int unknownId = -1;
        if (!unk.isNull()) {
            Integer id = vocab.get(unk.text());
            if (id == null) {
                throw unk.problem("the unknown token '" + unk.text() + "' is not in model.vocab; expected it there");
            }
            unknownId = id;
        }
        return new BpeModel(vocab, merges, unknownId, f.get("fuse_unk").bool(false),
                f.get("byte_fallback").bool(false), f.get("ignore_merges").bool(false));
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public void tokenize(String word, IntConsumer out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = cut(word);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        for (int id : ids) {
            out.accept(id);
        }
    }

    private int[] cut(String word) {
        Integer whole = vocab.get(word);
        if (ignoreMerges && whole != null) {
            return new int[]{whole};
        }
        int[] symbols = new int[word.length() * 4];
        int n = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            String ch = word.substring(i, i + Character.charCount(cp));
            i += ch.length();
            Integer id = vocab.get(ch);
            if (id != null) {
                symbols[n++] = id;
                continue;
            }
            int[] bytes = byteFallback ? byteTokens(ch) : null;
            if (bytes != null) {
                System.arraycopy(bytes, 0, symbols, n, bytes.length);
                n += bytes.length;
            } else if (unknownId >= 0 && !(fuseUnknown && n > 0 && symbols[n - 1] == unknownId)) {
                symbols[n++] = unknownId;
            }
        }
        // Merge the adjacent pair of lowest rank (the leftmost of equals), until none can merge.
        while (n > 1) {
            int bestAt = -1;
            Merge best = null;
            for (int i = 0; i + 1 < n; i++) {
                Merge m = merges.get(pairKey(symbols[i], symbols[i + 1]));
                if (m != null && (best == null || m.rank < best.rank)) {
                    best = m;
                    bestAt = i;
                }
            }
            if (best == null) {
                break;
            }
            symbols[bestAt] = best.id;
            System.arraycopy(symbols, bestAt + 2, symbols, bestAt + 1, n - bestAt - 2);
            n--;
        }
        return java.util.Arrays.copyOf(symbols, n);
    }

    /** The {@code <0xXX>} tokens of {@code ch}'s UTF-8 bytes, or null when the vocabulary lacks one of them. */
    private int[] byteTokens(String ch) {
        byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            Integer id = vocab.get(String.format("<0x%02X>", bytes[i] & 0xFF));
            if (id == null) {
                return null;
            }
            ids[i] = id;
        }
        return ids;
    }
}
