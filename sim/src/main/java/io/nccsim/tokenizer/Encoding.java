package io.nccsim.tokenizer;

import java.util.List;

/**
 * A text as token ids, with the special tokens the tokenizer's post-processor adds.
 *
 * @param ids     token ids, in order
 * @param typeIds the segment each token belongs to (BERT's token_type_ids; 0 throughout for a single text)
 * @param tokens  each token's vocabulary string, for reading and checking
 */
public record Encoding(int[] ids, int[] typeIds, List<String> tokens) {
    public Encoding {
        ids = ids.clone();
        typeIds = typeIds.clone();
        tokens = List.copyOf(tokens);
        if (ids.length != typeIds.length || ids.length != tokens.size()) {
            throw new IllegalArgumentException(ids.length + " ids, " + typeIds.length + " type ids and "
                    + tokens.size() + " tokens: expected as many of each");
        }
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public int[] typeIds() {
        return typeIds.clone();
    }

    public int length() {
        return ids.length;
    }
}
