package io.nccsim.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** tokenizer.json's {@code decoder}: turns token strings back into text. */
interface TokenDecoder {
    String decode(List<String> tokens);

    static TokenDecoder read(JsonField f) {
        if (f.isNull()) {
            return tokens -> String.join(" ", tokens);
        }
        String type = f.get("type").text();
        return switch (type) {
            case "WordPiece" -> wordPiece(f.get("prefix").text("##"), f.get("cleanup").bool(true));
            case "ByteLevel" -> tokens -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (String t : tokens) {
                    ByteLevelAlphabet.decode(t, bytes);
                }
                return bytes.toString(StandardCharsets.UTF_8);
            };
            // Recognised, but decoding with it is refused only when asked for: encoding does not need it.
            default -> tokens -> {
                throw f.get("type").problem("decoding with a '" + type + "' decoder is not supported; nccsim "
                        + "decodes with WordPiece and ByteLevel decoders");
            };
        };
    }

    /**
     * Pieces that start with the prefix join the piece before; others are new words after a space. With cleanup,
     * the spaces the joining left before punctuation and English contractions go, as in BERT's tokenizer.
     */
    private static TokenDecoder wordPiece(String prefix, boolean cleanup) {
        return tokens -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i > 0 && t.startsWith(prefix)) {
                    b.append(t, prefix.length(), t.length());
                } else {
                    if (i > 0) {
                        b.append(' ');
                    }
                    b.append(t);
                }
            }
            String s = b.toString();
            if (cleanup) {
                s = s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                        .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                        .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
            }
            return s;
        };
    }
}
