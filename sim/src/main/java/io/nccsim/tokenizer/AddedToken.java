package io.nccsim.tokenizer;

/**
 * One entry of tokenizer.json's {@code added_tokens}: a string that is cut out of the text whole, before the
 * normalizer and the model see it ({@code [CLS]}, {@code <|begin_of_text|>}).
 *
 * @param id         its id
 * @param content    the text it matches
 * @param singleWord match only as a whole word (no letter or digit right before or after)
 * @param lstrip     the match swallows the whitespace before it
 * @param rstrip     the match swallows the whitespace after it
 * @param normalized match in the normalized text rather than the raw text
 * @param special    a control token (skipped when decoding)
 */
record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
                  boolean special) {

    static AddedToken read(JsonField f) {
        String content = f.get("content").text();
        if (content.isEmpty()) {
            throw f.get("content").error("a non-empty string");
        }
        boolean special = f.get("special").bool(false);
        // Hugging Face's default: special tokens match the raw text, others the normalized text.
        return new AddedToken(f.get("id").count(), content, f.get("single_word").bool(false),
                f.get("lstrip").bool(false), f.get("rstrip").bool(false), f.get("normalized").bool(!special),
                special);
    }
}
