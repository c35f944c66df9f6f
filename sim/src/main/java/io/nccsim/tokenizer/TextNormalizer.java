package io.nccsim.tokenizer;

import java.text.Normalizer;
import java.util.List;

/**
 * A tokenizer.json {@code normalizer}: rewrites the text before it is split into words. The types nccsim reads are
 * the ones BERT, Llama-2/3, Qwen2 and SmolLM files use.
 */
interface TextNormalizer {
    String normalize(String text);

    /** The normalizer {@code f} describes; null in the file means none. */
    static TextNormalizer read(JsonField f) {
        if (f.isNull()) {
            return text -> text;
        }
        String type = f.get("type").text();
        return switch (type) {
            case "BertNormalizer" -> {
                boolean lowercase = f.get("lowercase").bool(true);
                // The file's null for strip_accents means "whatever lowercase says", as in Hugging Face's code.
                boolean stripAccents = f.get("strip_accents").bool(lowercase);
                yield new BertNormalizer(f.get("clean_text").bool(true), f.get("handle_chinese_chars").bool(true),
                        stripAccents, lowercase);
            }
            case "NFC" -> new UnicodeForm(Normalizer.Form.NFC);
            case "NFD" -> new UnicodeForm(Normalizer.Form.NFD);
            case "NFKC" -> new UnicodeForm(Normalizer.Form.NFKC);
            case "NFKD" -> new UnicodeForm(Normalizer.Form.NFKD);
            case "Lowercase" -> CharClasses::lowercase;
            case "Prepend" -> {
                String prefix = f.get("prepend").text();
                yield text -> text.isEmpty() ? text : prefix + text;
            }
            case "Replace" -> {
                JsonField pattern = f.get("pattern");
                if (!pattern.has("String")) {
                    throw pattern.error("{\"String\": ...} (regex Replace normalizers are not supported)");
                }
                String from = pattern.get("String").text();
                String to = f.get("content").text();
                if (from.isEmpty()) {
                    throw pattern.get("String").error("a non-empty string to replace");
                }
                yield text -> text.replace(from, to);
            }
            case "Sequence" -> {
                List<TextNormalizer> steps = f.get("normalizers").items().stream().map(TextNormalizer::read).toList();
                yield text -> {
                    for (TextNormalizer n : steps) {
                        text = n.normalize(text);
                    }
                    return text;
                };
            }
            default -> throw f.get("type").error("a normalizer nccsim reads (BertNormalizer, NFC, NFD, NFKC, NFKD, "
                    + "Lowercase, Prepend, Replace, Sequence)");
        };
    }

    /** One of Unicode's four normalization forms. */
    record UnicodeForm(Normalizer.Form form) implements TextNormalizer {
        @Override
        public String normalize(String text) {
            return Normalizer.normalize(text, form);
        }
    }
}
