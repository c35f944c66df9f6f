package io.nccsim.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * tokenizer.json's {@code post_processor} for a single sequence: the special tokens put around the text's tokens
 * ([CLS] ... [SEP] for BERT, {@code <|begin_of_text|>} ... for Llama-3), and the type id of each part.
 *
 * @param parts the template's parts in order: exactly one of them is the text itself
 */
record SpecialTokenTemplate(List<Part> parts) {
    /** A part of the template: special tokens ({@code ids} non-null) or the text's own tokens. */
    record Part(int[] ids, String[] tokens, int typeId) {
        boolean isSequence() {
            return ids == null;
        }
    }

    /** The template that adds nothing. */
    static final SpecialTokenTemplate NONE = new SpecialTokenTemplate(List.of(new Part(null, null, 0)));

    SpecialTokenTemplate {
        parts = List.copyOf(parts);
    }

    /** How many special tokens the template adds. */
    int addedTokens() {
        int n = 0;
        for (Part p : parts) {
            n += p.isSequence() ? 0 : p.ids().length;
        }
        return n;
    }

    static SpecialTokenTemplate read(JsonField f) {
        if (f.isNull()) {
            return NONE;
        }
        String type = f.get("type").text();
        return switch (type) {
            case "TemplateProcessing" -> readTemplate(f);
            case "BertProcessing", "RobertaProcessing" -> new SpecialTokenTemplate(List.of(
                    namedToken(f.get("cls")), new Part(null, null, 0), namedToken(f.get("sep"))));
            case "ByteLevel" -> NONE; // it only adjusts character offsets, which nccsim does not report
            case "Sequence" -> {
                SpecialTokenTemplate chosen = NONE;
                for (JsonField p : f.get("processors").items()) {
                    SpecialTokenTemplate t = read(p);
                    if (t.addedTokens() > 0) {
                        if (chosen.addedTokens() > 0) {
                            throw p.problem("a second post-processor that adds special tokens; nccsim reads "
                                    + "sequences with at most one");
                        }
                        chosen = t;
                    }
                }
                yield chosen;
            }
            default -> throw f.get("type").error("a post-processor nccsim reads (TemplateProcessing, "
                    + "BertProcessing, RobertaProcessing, ByteLevel, Sequence)");
        };
    }

    /** BertProcessing's ["[CLS]", 101]. */
    private static Part namedToken(JsonField f) {
        List<JsonField> pair = f.items();
        if (pair.size() != 2) {
            throw f.error("[token, id]");
        }
        return new Part(new int[]{pair.get(1).count()}, new String[]{pair.get(0).text()}, 0);
    }

    private static SpecialTokenTemplate readTemplate(JsonField f) {
        Map<String, JsonField> specials = f.get("special_tokens").isNull() ? Map.of()
                : f.get("special_tokens").members();
        List<Part> parts = new ArrayList<>();
        int sequences = 0;
        for (JsonField item : f.get("single").items()) {
            if (item.has("SpecialToken")) {
                JsonField s = item.get("SpecialToken");
                String name = s.get("id").text();
                JsonField def = specials.get(name);
                if (def == null) {
                    throw s.get("id").problem("special token '" + name + "' is not defined in "
                            + "post_processor.special_tokens; expected it there");
                }
                List<JsonField> ids = def.get("ids").items();
                List<JsonField> tokens = def.get("tokens").items();
                if (ids.size() != tokens.size()) {
                    throw def.problem("has " + ids.size() + " ids but " + tokens.size() + " tokens; expected as "
                            + "many of each");
                }
                int[] idArray = ids.stream().mapToInt(JsonField::count).toArray();
                String[] tokenArray = tokens.stream().map(JsonField::text).toArray(String[]::new);
                parts.add(new Part(idArray, tokenArray, s.get("type_id").count(0)));
            } else if (item.has("Sequence")) {
                JsonField s = item.get("Sequence");
                if (!s.get("id").text().equals("A")) {
                    throw s.get("id").error("'A' (a single-sequence template refers to sequence A only)");
                }
                sequences++;
                parts.add(new Part(null, null, s.get("type_id").count(0)));
            } else {
                throw item.error("{\"SpecialToken\": ...} or {\"Sequence\": ...}");
            }
        }
        if (sequences != 1) {
            throw f.get("single").problem("refers to the text " + sequences + " times; expected exactly once");
        }
        return new SpecialTokenTemplate(parts);
    }
}
