package io.nccsim.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/** A tokenizer.json {@code model}: cuts one word into vocabulary tokens. */
interface SubwordModel {
    /** Passes the ids of {@code word}'s tokens to {@code out}, in order. */
    void tokenize(String word, IntConsumer out);

    /** Every token of the model's vocabulary and its id. */
    Map<String, Integer> vocab();

    /** The model {@code f} describes. */
    static SubwordModel read(JsonField f) {
        String type = f.get("type").isNull() && f.has("merges") ? "BPE" : f.get("type").text();
        return switch (type) {
            case "WordPiece" -> WordPieceModel.read(f);
            case "BPE" -> BpeModel.read(f);
            default -> throw f.get("type").error("WordPiece or BPE (the models nccsim reads)");
        };
    }

    /** The vocabulary object {@code f} ({"token": id, ...}), checked: ids are distinct non-negative integers. */
    static Map<String, Integer> readVocab(JsonField f) {
        Map<String, Integer> vocab = new HashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        for (Map.Entry<String, JsonField> e : f.members().entrySet()) {
            int id = e.getValue().count();
            String other = byId.putIfAbsent(id, e.getKey());
            if (other != null) {
                throw e.getValue().problem("id " + id + " is given to both '" + other + "' and '" + e.getKey()
                        + "'; expected one token per id");
            }
            vocab.put(e.getKey(), id);
        }
        if (vocab.isEmpty()) {
            throw f.error("a vocabulary with at least one token");
        }
        return vocab;
    }
}
