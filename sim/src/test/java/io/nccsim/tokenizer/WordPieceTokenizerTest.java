package io.nccsim.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.testutil.MiniLm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MiniLM's own tokenizer.json (WordPiece): token ids checked against the file's vocabulary, read here with plain
 * Jackson, and against properties any correct BERT tokenization has.
 */
class WordPieceTokenizerTest {
    private static HfTokenizer tokenizer;
    /** The file's model.vocab, read independently of the tokenizer. */
    private static Map<String, Integer> vocab;
    private static int cls;
    private static int sep;
    private static int unk;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = HfTokenizer.read(MiniLm.tokenizerPath());
        JsonNode root = new ObjectMapper().readTree(MiniLm.tokenizerBytes());
        vocab = new HashMap<>();
        root.get("model").get("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().intValue()));
        cls = vocab.get("[CLS]");
        sep = vocab.get("[SEP]");
        unk = vocab.get(root.get("model").get("unk_token").textValue());
    }

    /** Ids of {@code words}, each looked up in the file's vocabulary, between [CLS] and [SEP]. */
    private static int[] expected(String... words) {
        int[] ids = new int[words.length + 2];
        ids[0] = cls;
        for (int i = 0; i < words.length; i++) {
            Integer id = vocab.get(words[i]);
            assertNotNull(id, words[i] + " is in the vocabulary");
            ids[i + 1] = id;
        }
        ids[ids.length - 1] = sep;
        return ids;
    }

    @Test
    void wholeWordsAreSingleVocabularyEntriesBetweenClsAndSep() {
        assertEquals("WordPiece", tokenizer.modelType());
        assertEquals(vocab.size(), tokenizer.vocabSize());
        assertArrayEquals(expected("hello"), tokenizer.encode("hello").ids());
        assertArrayEquals(expected("hello", ",", "world", "!"), tokenizer.encode("Hello, WORLD!").ids(),
                "lower-cased, punctuation split off");
        assertArrayEquals(expected("the", "cat", "sat"), tokenizer.encode("  The\tcat\n\nsat  ").ids(),
                "any whitespace separates words and is dropped");
        assertArrayEquals(expected("cafe", "resume"), tokenizer.encode("Café RÉSUMÉ").ids(), "accents stripped");
        Encoding e = tokenizer.encode("hello");
        assertEquals(List.of("[CLS]", "hello", "[SEP]"), e.tokens());
        assertArrayEquals(new int[3], e.typeIds(), "a single text is segment 0");
        assertArrayEquals(new int[]{vocab.get("hello")}, tokenizer.encode("hello", false).ids(),
                "no special tokens when not asked for");
    }

    @Test
    void punctuationIncludingAsciiSymbolsIsSplitOffOneMarkAtATime() {
        assertArrayEquals(expected("don", "'", "t", "!", "!"), tokenizer.encode("don't!!").ids());
        // $, + and ^ are symbols to Unicode but punctuation to BERT
        assertArrayEquals(expected("$", "5", "+", "^"), tokenizer.encode("$5+^").ids());
    }

    @Test
    void cjkIdeographsAreWordsOfTheirOwnAndControlCharactersVanish() {
        assertArrayEquals(expected("北", "京"), tokenizer.encode("北京").ids());
        assertArrayEquals(tokenizer.encode("ab").ids(), tokenizer.encode("a\u0007b\u0000").ids(),
                "BEL and NUL are cleaned out");
        assertArrayEquals(tokenizer.encode("a b").ids(), tokenizer.encode("a\u00A0b").ids(),
                "a no-break space separates words like a space");
    }

    @Test
    void unknownCharactersAndOverlongWordsBecomeUnk() {
        String snowman = "\u2603";
        assertFalse(vocab.containsKey(snowman) || vocab.containsKey("##" + snowman), "the snowman is not a token");
        assertArrayEquals(new int[]{cls, vocab.get("a"), unk, sep}, tokenizer.encode("a " + snowman).ids());
        assertArrayEquals(new int[]{cls, unk, sep}, tokenizer.encode("ab" + snowman).ids(),
                "one unknown piece makes the whole word unknown");
        String longWord = "a".repeat(101);
        assertArrayEquals(new int[]{cls, unk, sep}, tokenizer.encode(longWord).ids(),
                "longer than max_input_chars_per_word (100)");
        assertTrue(tokenizer.encode("a".repeat(100)).length() > 3, "100 characters are still cut into pieces");
    }

    @Test
    void addedTokensInTheTextAreKeptWhole() {
        int mask = vocab.get("[MASK]");
        int[] ids = tokenizer.encode("a [MASK] b").ids();
        assertArrayEquals(new int[]{cls, vocab.get("a"), mask, vocab.get("b"), sep}, ids);
        assertTrue(tokenizer.isSpecial(mask) && tokenizer.isSpecial(cls) && !tokenizer.isSpecial(vocab.get("a")));
    }

    @Test
    void longTextIsTruncatedToTheFilesMaxLengthKeepingSep() {
        int[] ids = tokenizer.encode("word ".repeat(300)).ids();
        assertEquals(128, ids.length, "tokenizer.json's truncation.max_length");
        assertEquals(cls, ids[0]);
        assertEquals(sep, ids[127]);
    }

    /** Sentences with no character the vocabulary lacks, in several scripts and styles. */
    private static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Neural compression of LLM weights, activations and the KV-cache saves DRAM energy!",
            "Unaffable antidisestablishmentarianism notwithstanding, tokenizers behave.",
            "Crème brûlée à la carte; naïve façade.",
            "Numbers: 3.14159, 1,000,000 and 42% (approx.) [sic] {braces} <tags>",
            "Привет, мир — здравствуйте.",
            "東京 and 北京 are capitals.");

    /** The normalization the tokenizer should do, computed here with the JDK: accents off, lower case, no spaces. */
    private static String normalizedLetters(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
        return decomposed.toLowerCase(Locale.ROOT).replaceAll("\\s", "");
    }

    @Test
    void piecesSpellTheNormalizedTextAndEachIsTheLongestVocabularyMatch() {
        for (String s : SENTENCES) {
            Encoding e = tokenizer.encode(s);
            List<String> tokens = e.tokens();
            int[] ids = e.ids();
            assertEquals(cls, ids[0]);
            assertEquals(sep, ids[ids.length - 1]);
            StringBuilder spelled = new StringBuilder();
            for (int i = 1; i < ids.length - 1; i++) {
                assertEquals(vocab.get(tokens.get(i)), ids[i], "token string and id agree with the vocabulary");
                assertTrue(ids[i] != unk, s + ": no unknown token");
                spelled.append(tokens.get(i).startsWith("##") ? tokens.get(i).substring(2) : tokens.get(i));
            }
            assertEquals(normalizedLetters(s), spelled.toString(), s);

            // Group pieces into words (a word is a piece and the ## pieces after it) and check greediness: no
            // longer stretch of the word's remaining text is a vocabulary entry.
            List<List<String>> words = new ArrayList<>();
            for (int i = 1; i < ids.length - 1; i++) {
                if (!tokens.get(i).startsWith("##")) {
                    words.add(new ArrayList<>());
                }
                words.get(words.size() - 1).add(tokens.get(i));
            }
            for (List<String> word : words) {
                for (int p = 0; p < word.size(); p++) {
                    StringBuilder rest = new StringBuilder();
                    for (int q = p; q < word.size(); q++) {
                        rest.append(q == 0 ? word.get(q) : word.get(q).substring(2));
                    }
                    int taken = p == 0 ? word.get(p).length() : word.get(p).length() - 2;
                    for (int len = taken + 1; len <= rest.length(); len++) {
                        String longer = (p == 0 ? "" : "##") + rest.substring(0, len);
                        assertFalse(vocab.containsKey(longer), s + ": '" + longer + "' is longer than the piece "
                                + word.get(p) + " and in the vocabulary");
                    }
                }
            }
            assertEquals(wordsAndMarks(normalizedLettersKeepingSpaces(s)), words.size(),
                    s + ": one word-initial piece per word and per punctuation mark");
        }
    }

    private static String normalizedLettersKeepingSpaces(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "").toLowerCase(Locale.ROOT);
    }

    /** Runs of letters or digits, each punctuation mark and each CJK ideograph: BERT's words. */
    private static int wordsAndMarks(String s) {
        Matcher m = Pattern.compile("\\p{IsHan}|[\\p{L}\\p{N}&&[^\\p{IsHan}]]+|[^\\p{L}\\p{N}\\s]").matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void decodingJoinsPiecesBack() {
        assertEquals("the quick brown fox, unaffable!", tokenizer.decode(
                tokenizer.encode("The quick brown fox, unaffable!").ids()));
    }
}
