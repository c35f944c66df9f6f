package io.nccsim.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tokenizer.json {@code pre_tokenizer}: splits normalized text into the words the model then cuts into tokens
 * (a token never spans two words).
 */
interface PreTokenizer {
    /** Appends the words of {@code piece} to {@code out}, in order; empty words are never produced. */
    void split(String piece, List<String> out);

    /** The pre-tokenizer {@code f} describes; null in the file means the whole text is one word. */
    static PreTokenizer read(JsonField f) {
        if (f.isNull()) {
            return (piece, out) -> {
                if (!piece.isEmpty()) {
                    out.add(piece);
                }
            };
        }
        String type = f.get("type").text();
        return switch (type) {
            case "BertPreTokenizer" -> new BertPreTokenizer();
            case "WhitespaceSplit" -> (piece, out) -> BertPreTokenizer.splitOnWhitespace(piece, out);
            case "ByteLevel" -> new ByteLevelPreTokenizer(f.get("add_prefix_space").bool(true),
                    f.get("use_regex").bool(true));
            case "Split" -> {
                JsonField pattern = f.get("pattern");
                Pattern regex;
                if (pattern.has("Regex")) {
                    regex = RegexSplit.compile(pattern.get("Regex"));
                } else if (pattern.has("String")) {
                    regex = Pattern.compile(Pattern.quote(pattern.get("String").text()));
                } else {
                    throw pattern.error("{\"Regex\": ...} or {\"String\": ...}");
                }
                yield new RegexSplit(regex, RegexSplit.Behavior.read(f.get("behavior")), f.get("invert").bool(false));
            }
            case "Digits" -> new RegexSplit(Pattern.compile(f.get("individual_digits").bool(false) ? "\\p{N}"
                    : "\\p{N}+"), RegexSplit.Behavior.ISOLATED, false);
            case "Punctuation" -> new RegexSplit(RegexSplit.PUNCTUATION, f.get("behavior").isNull()
                    ? RegexSplit.Behavior.ISOLATED : RegexSplit.Behavior.read(f.get("behavior")), false);
            case "Sequence" -> {
                List<PreTokenizer> steps = f.get("pretokenizers").items().stream().map(PreTokenizer::read).toList();
                yield (piece, out) -> {
                    List<String> words = List.of(piece);
                    for (PreTokenizer p : steps) {
                        List<String> next = new ArrayList<>();
                        for (String w : words) {
                            p.split(w, next);
                        }
                        words = next;
                    }
                    out.addAll(words);
                };
            }
            default -> throw f.get("type").error("a pre-tokenizer nccsim reads (BertPreTokenizer, WhitespaceSplit, "
                    + "ByteLevel, Split, Digits, Punctuation, Sequence)");
        };
    }
}
