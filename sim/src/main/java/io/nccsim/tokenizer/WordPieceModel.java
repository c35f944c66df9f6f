package io.nccsim.tokenizer;

import java.util.Map;
import java.util.function.IntConsumer;

/**
 * BERT's WordPiece: a word is cut greedily into the longest vocabulary pieces from the left, every piece after the
 * first spelled with the continuation prefix ("playing" is "play", "##ing"). A word that cannot be cut completely,
 * or that is longer than {@code maxInputCharsPerWord} characters, becomes the single unknown token.
 */
final class WordPieceModel implements SubwordModel {
    private final Map<String, Integer> vocab;
    private final int unknownId;
    private final String continuationPrefix;
    private final int maxInputCharsPerWord;

    private WordPieceModel(Map<String, Integer> vocab, int unknownId, String continuationPrefix,
                           int maxInputCharsPerWord) {
        this.vocab = Map.copyOf(vocab);
        this.unknownId = unknownId;
        this.continuationPrefix = continuationPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    static WordPieceModel read(JsonField f) {
        Map<String, Integer> vocab = SubwordModel.readVocab(f.get("vocab"));
        JsonField unk = f.get("unk_token");
        String unkToken = unk.text("[UNK]");
        Integer unkId = vocab.get(unkToken);
        if (unkId == null) {
            throw unk.problem("the unknown token '" + unkToken + "' is not in model.vocab; expected it there");
        }
        return new WordPieceModel(vocab, unkId, f.get("continuing_subword_prefix").text("##"),
                f.get("max_input_chars_per_word").count(100));
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public void tokenize(String word, IntConsumer out) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            out.accept(unknownId);
            return;
        }
        int[] pieces = new int[word.length()];
        int count = 0;
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int found = -1;
            while (end > start) {
                String piece = word.substring(start, end);
                Integer id = vocab.get(start > 0 ? continuationPrefix + piece : piece);
                if (id != null) {
                    found = id;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found < 0) {
                out.accept(unknownId); // one unknown piece spoils the whole word
                return;
            }
            pieces[count++] = found;
            start = end;
        }
        for (int i = 0; i < count; i++) {
            out.accept(pieces[i]);
        }
    }
}
