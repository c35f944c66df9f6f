package io.nccsim.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-level BPE on small tokenizer.json files written here, laid out as GPT-2's, Llama-3's and Llama-2's files are.
 *
 * <p>What the test knows of GPT-2's byte alphabet it states: printable ASCII stands for itself, a space is 'Ġ'
 * (U+0120), a newline 'Ċ' (U+010A), and 'é' (UTF-8 C3 A9) is written 'Ã' '©', two printable Latin-1 characters.
 */
class BpeTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A vocabulary: the given tokens get ids 0, 1, 2 ... in order. */
    private static Map<String, Integer> vocab(List<String> tokens) {
        Map<String, Integer> v = new LinkedHashMap<>();
        for (String t : tokens) {
            v.putIfAbsent(t, v.size());
        }
        return v;
    }

    /** Single characters, then the result of each merge, in order. */
    private static Map<String, Integer> vocabFor(String chars, List<String> merges, String... extra) {
        List<String> tokens = new ArrayList<>();
        chars.codePoints().forEach(cp -> tokens.add(Character.toString(cp)));
        for (String m : merges) {
            tokens.add(m.replace(" ", ""));
        }
        tokens.addAll(List.of(extra));
        return vocab(tokens);
    }

    private static ObjectNode bpeModel(Map<String, Integer> vocab, List<String> merges, boolean ignoreMerges) {
        ObjectNode model = JSON.createObjectNode().put("type", "BPE").putNull("dropout").putNull("unk_token")
                .put("ignore_merges", ignoreMerges);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        return model;
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", useRegex);
    }

    private static HfTokenizer tokenizer(ObjectNode root) {
        try {
            return HfTokenizer.parse("test-tokenizer.json", JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789',!.ĠĊÃ©";
    private static final List<String> GPT2_MERGES = List.of("h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or",
            "l d", "Ġwor ld", "Ã ©");

    /** GPT-2's layout: ByteLevel pre-tokenizer with its own regex, ByteLevel decoder, no special tokens. */
    private static ObjectNode gpt2Like(Map<String, Integer> vocab, List<String> merges) {
        ObjectNode root = JSON.createObjectNode();
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(true));
        root.set("model", bpeModel(vocab, merges, false));
        root.set("decoder", JSON.createObjectNode().put("type", "ByteLevel"));
        return root;
    }

    private static int[] ids(Map<String, Integer> vocab, String... tokens) {
        int[] ids = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = vocab.get(tokens[i]);
        }
        return ids;
    }

    @Test
    void mergesBuildWholeWordsAndTheSpaceTravelsWithTheWordAfterIt() {
        Map<String, Integer> v = vocabFor(LETTERS, GPT2_MERGES);
        HfTokenizer t = tokenizer(gpt2Like(v, GPT2_MERGES));
        assertEquals("BPE", t.modelType());
        assertArrayEquals(ids(v, "hello", "Ġworld"), t.encode("hello world").ids());
        assertArrayEquals(ids(v, "hello", ",", "Ġworld", "!"), t.encode("hello, world!").ids());
        assertArrayEquals(ids(v, "c", "a", "f", "Ã©"), t.encode("café").ids(), "é is two bytes, merged back");
        assertArrayEquals(ids(v, "w", "or", "ld"), t.encode("world").ids(), "no leading space: Ġw never forms");
        assertEquals(List.of("hello", "Ġworld"), t.encode("hello world").tokens());
    }

    @Test
    void theLowestRankedMergeGoesFirst() {
        Map<String, Integer> v = vocab(List.of("a", "b", "c", "ab", "bc"));
        HfTokenizer bcFirst = tokenizer(gpt2Like(v, List.of("b c", "a b")));
        HfTokenizer abFirst = tokenizer(gpt2Like(v, List.of("a b", "b c")));
        assertArrayEquals(ids(v, "a", "bc"), bcFirst.encode("abc").ids());
        assertArrayEquals(ids(v, "ab", "c"), abFirst.encode("abc").ids());
    }

    @Test
    void mergesGivenAsPairsMeanTheSame() throws IOException {
        Map<String, Integer> v = vocabFor(LETTERS, GPT2_MERGES);
        ObjectNode root = gpt2Like(v, GPT2_MERGES);
        ArrayNode pairs = ((ObjectNode) root.get("model")).putArray("merges");
        for (String m : GPT2_MERGES) {
            String[] p = m.split(" ");
            pairs.addArray().add(p[0]).add(p[1]);
        }
        Path file = dir.resolve("pairs.json");
        Files.write(file, JSON.writeValueAsBytes(root));
        HfTokenizer t = HfTokenizer.read(file);
        assertArrayEquals(ids(v, "hello", "Ġworld"), t.encode("hello world").ids());
        assertEquals(file.toString(), t.name());
    }

    @Test
    void decodingRestoresTheBytes() {
        Map<String, Integer> v = vocabFor(LETTERS, GPT2_MERGES);
        HfTokenizer t = tokenizer(gpt2Like(v, GPT2_MERGES));
        for (String s : List.of("hello world", "café, hello!\nworld.", "  hello  world  ", "o'hare 42")) {
            assertEquals(s, t.decode(t.encode(s).ids()), s);
        }
    }

    /** Llama-3's layout: its own split pattern, then ByteLevel without a regex; a begin-of-text token. */
    private static ObjectNode llama3Like(Map<String, Integer> vocab, List<String> merges) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode split = JSON.createObjectNode().put("type", "Split").put("behavior", "Isolated")
                .put("invert", false);
        split.putObject("pattern").put("Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
                + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        pre.putArray("pretokenizers").add(split).add(byteLevel(false));
        root.set("model", bpeModel(vocab, merges, true));
        int bos = vocab.size();
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", bos).put("content", "<|begin_of_text|>").put("special", true)
                .put("normalized", false);
        added.addObject().put("id", bos + 1).put("content", "<|eot_id|>").put("special", true)
                .put("normalized", false);
        ObjectNode template = JSON.createObjectNode().put("type", "TemplateProcessing");
        template.putArray("single").addObject().putObject("SpecialToken").put("id", "<|begin_of_text|>")
                .put("type_id", 0);
        ((ArrayNode) template.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ObjectNode specials = template.putObject("special_tokens").putObject("<|begin_of_text|>");
        specials.put("id", "<|begin_of_text|>");
        specials.putArray("ids").add(bos);
        specials.putArray("tokens").add("<|begin_of_text|>");
        ObjectNode post = root.putObject("post_processor").put("type", "Sequence");
        post.putArray("processors").add(JSON.createObjectNode().put("type", "ByteLevel")).add(template);
        root.set("decoder", JSON.createObjectNode().put("type", "ByteLevel"));
        return root;
    }

    @Test
    void llama3LayoutSplitsDigitsInThreesKeepsSpecialTokensWholeAndAddsBeginOfText() {
        List<String> merges = new ArrayList<>(GPT2_MERGES);
        merges.addAll(List.of("1 2", "12 3", "4 5", "' m"));
        Map<String, Integer> v = vocabFor(LETTERS + "I", merges, "Ġhello");
        HfTokenizer t = tokenizer(llama3Like(v, merges));
        int bos = t.idOf("<|begin_of_text|>");
        int eot = t.idOf("<|eot_id|>");
        assertEquals(v.size(), bos);
        assertEquals(v.size() + 2, t.vocabSize());

        int[] digits = t.encode("12345", false).ids();
        assertArrayEquals(ids(v, "123", "45"), digits, "\\p{N}{1,3}: at most three digits a piece");
        assertArrayEquals(ids(v, "I", "'m"), t.encode("I'm", false).ids(), "contractions split off");
        // ignore_merges: a word the vocabulary has whole is taken whole, though no merge leads to it
        assertArrayEquals(ids(v, "Ġhello"), t.encode(" hello", false).ids());
        assertArrayEquals(ids(v, "Ġ", "hello"), tokenizer(gpt2Like(v, merges)).encode(" hello").ids(),
                "without ignore_merges the merges decide");

        int[] withSpecials = t.encode("hello<|eot_id|>world").ids();
        int[] expected = {bos, v.get("hello"), eot, v.get("w"), v.get("or"), v.get("ld")};
        assertArrayEquals(expected, withSpecials);
        assertTrue(t.isSpecial(bos) && t.isSpecial(eot));
        assertEquals("helloworld", t.decode(withSpecials), "special tokens are left out of the text");
    }

    @Test
    void sentencePieceStyleBpeFallsBackToByteTokens() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode norm = root.putObject("normalizer").put("type", "Sequence");
        norm.putArray("normalizers").add(JSON.createObjectNode().put("type", "Prepend").put("prepend", "▁"))
                .add(JSON.createObjectNode().put("type", "Replace").put("content", "▁")
                        .set("pattern", JSON.createObjectNode().put("String", " ")));
        root.putNull("pre_tokenizer");
        List<String> merges = List.of("h i", "▁ hi");
        Map<String, Integer> v = vocabFor("▁hi", merges, "<0xC3>", "<0xA9>");
        ObjectNode model = bpeModel(v, merges, false).put("byte_fallback", true);
        root.set("model", model);
        root.putObject("decoder").put("type", "Sequence");
        HfTokenizer t = tokenizer(root);
        assertArrayEquals(ids(v, "▁hi", "▁", "<0xC3>", "<0xA9>"), t.encode("hi é").ids());
        BadInputException e = assertThrows(BadInputException.class, () -> t.decode(new int[]{0}));
        assertMentions(e, "test-tokenizer.json", "decoder.type", "Sequence");
    }

    @Test
    void splitBehavioursGroupDelimitersAsHuggingFaceDoes() {
        List<String> out = new ArrayList<>();
        java.util.regex.Pattern dash = java.util.regex.Pattern.compile("-");
        new RegexSplit(dash, RegexSplit.Behavior.ISOLATED, false).split("a--b-", out);
        assertEquals(List.of("a", "-", "-", "b", "-"), out);
        out.clear();
        new RegexSplit(dash, RegexSplit.Behavior.REMOVED, false).split("a--b-", out);
        assertEquals(List.of("a", "b"), out);
        out.clear();
        new RegexSplit(dash, RegexSplit.Behavior.MERGED_WITH_PREVIOUS, false).split("a--b-", out);
        assertEquals(List.of("a-", "-", "b-"), out, "a delimiter joins a word, not another delimiter");
        out.clear();
        new RegexSplit(dash, RegexSplit.Behavior.MERGED_WITH_NEXT, false).split("a--b-", out);
        assertEquals(List.of("a", "-", "-b", "-"), out);
        out.clear();
        new RegexSplit(dash, RegexSplit.Behavior.CONTIGUOUS, false).split("a--b-", out);
        assertEquals(List.of("a", "--", "b", "-"), out);
        out.clear();
        new RegexSplit(dash, RegexSplit.Behavior.REMOVED, true).split("a--b-", out);
        assertEquals(List.of("-", "-", "-"), out, "inverted: the matches are the words");
    }

    // ---- malformed and unsupported files ----

    private static void assertMentions(BadInputException e, String... parts) {
        String m = e.getMessage();
        assertEquals(-1, m.indexOf('\n'), "one line: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + m + "' mentions '" + p + "'");
        }
    }

    private static BadInputException rejects(String json) {
        return assertThrows(BadInputException.class,
                () -> HfTokenizer.parse("bad.json", json.getBytes(StandardCharsets.UTF_8)));
    }

    private static BadInputException rejects(ObjectNode root) {
        try {
            return rejects(JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void malformedFilesAreRefusedWithThePlace() {
        assertMentions(rejects("{\"model\": {\"type\": \"BPE\",\n \"vocab\": {\"a\": 0,}}}"), "bad.json", "line 2",
                "not valid JSON");
        assertMentions(rejects("[1, 2]"), "bad.json", "the top level", "expected a tokenizer.json object");
        assertMentions(rejects("{}"), "bad.json", "model", "an object");

        Map<String, Integer> v = vocabFor(LETTERS, GPT2_MERGES);
        ObjectNode unigram = gpt2Like(v, GPT2_MERGES);
        ((ObjectNode) unigram.get("model")).put("type", "Unigram");
        assertMentions(rejects(unigram), "bad.json: model.type: expected WordPiece or BPE", "found 'Unigram'");

        ObjectNode badMerge = gpt2Like(v, List.of("h e", "q z"));
        ((ObjectNode) badMerge.get("model").get("vocab")).remove("z");
        assertMentions(rejects(badMerge), "bad.json: model.merges[1]", "'z'", "not in model.vocab");

        ObjectNode oneToken = gpt2Like(v, List.of("hello"));
        assertMentions(rejects(oneToken), "model.merges[0]", "two tokens and one space", "found 'hello'");

        ObjectNode duplicateId = gpt2Like(v, GPT2_MERGES);
        ((ObjectNode) duplicateId.get("model").get("vocab")).put("zz", 0);
        assertMentions(rejects(duplicateId), "model.vocab.zz", "id 0 is given to both");

        ObjectNode dropout = gpt2Like(v, GPT2_MERGES);
        ((ObjectNode) dropout.get("model")).put("dropout", 0.1);
        assertMentions(rejects(dropout), "model.dropout", "random", "found 0.1");

        ObjectNode metaspace = gpt2Like(v, GPT2_MERGES);
        metaspace.putObject("pre_tokenizer").put("type", "Metaspace");
        assertMentions(rejects(metaspace), "pre_tokenizer.type", "found 'Metaspace'");

        ObjectNode badRegex = gpt2Like(v, GPT2_MERGES);
        badRegex.putObject("pre_tokenizer").put("type", "Split").put("behavior", "Isolated")
                .putObject("pattern").put("Regex", "(unclosed");
        assertMentions(rejects(badRegex), "pre_tokenizer.pattern.Regex", "not a regular expression");

        ObjectNode badTemplate = llama3Like(vocabFor(LETTERS, GPT2_MERGES), GPT2_MERGES);
        ((ObjectNode) badTemplate.get("post_processor").get("processors").get(1)).remove("special_tokens");
        assertMentions(rejects(badTemplate), "post_processor.processors[1].single[0].SpecialToken.id",
                "'<|begin_of_text|>' is not defined");

        ObjectNode wordPiece = JSON.createObjectNode();
        wordPiece.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]").putObject("vocab")
                .put("a", 0);
        assertMentions(rejects(wordPiece), "model.unk_token", "'[UNK]' is not in model.vocab");
    }

    @Test
    void aMissingFileOrArchiveEntryIsNamed() {
        assertMentions(assertThrows(BadInputException.class, () -> HfTokenizer.read(dir.resolve("none.json"))),
                "none.json", "no such tokenizer file");
        assertMentions(assertThrows(BadInputException.class,
                () -> HfTokenizer.read(Path.of(dir.resolve("none.jar") + "!/tokenizer.json"))), "none.jar",
                "no such archive");
    }
}
