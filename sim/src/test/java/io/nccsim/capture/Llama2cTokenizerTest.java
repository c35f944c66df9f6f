package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cTokenizerTest {
    @TempDir
    Path dir;

    /** A vocabulary laid out as llama2.c exports SentencePiece's: unk, BOS, EOS, 256 byte tokens, then pieces. */
    private static final class Vocab {
        final List<String> pieces = new ArrayList<>(List.of("<unk>", "\n<s>\n", "\n</s>\n"));
        final List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));

        Vocab() {
            for (int b = 0; b < 256; b++) {
                add(String.format("<0x%02X>", b), 0);
            }
        }

        int add(String piece, float score) {
            pieces.add(piece);
            scores.add(score);
            return pieces.size() - 1;
        }

        byte[] bytes(int maxTokenLength) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(le(maxTokenLength));
            for (int i = 0; i < pieces.size(); i++) {
                byte[] p = pieces.get(i).getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(scores.get(i))
                        .putInt(p.length).array());
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        static byte[] le(int v) {
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
        }
    }

    private final Vocab vocab = new Vocab();
    private final int space = vocab.add(" ", 0);
    private final int a = vocab.add("a", 0);
    private final int b = vocab.add("b", 0);
    private final int c = vocab.add("c", 0);
    private final int ab = vocab.add("ab", 1);
    private final int bc = vocab.add("bc", 5);
    private final int spaceA = vocab.add(" a", 2);
    private final int spaceAbc = vocab.add(" abc", -1);
    private final int aa = vocab.add("aa", 3);
    private final int uUmlaut = vocab.add("ü", 0);

    private Llama2cTokenizer synthetic() {
        return Llama2cTokenizer.parse("synthetic.bin", vocab.bytes(6), vocab.pieces.size());
    }

    private static int byteToken(int value) {
        return 3 + value;
    }

    @Test
    void mergesTheBestScoringPairFirstNotTheLeftmost() {
        Llama2cTokenizer t = synthetic();
        // " abc": pairs " a" (2), "ab" (1), "bc" (5): bc first, then " a", then " abc". Merging left to right
        // would have made "ab" and stopped at [" ", "ab", "c"].
        assertArrayEquals(new int[]{Llama2cTokenizer.BOS, spaceAbc, Llama2cTokenizer.EOS}, t.encode("abc", true, true));
        // " aaa": the two "aa" pairs score 3, above " a"; the leftmost of equals wins, leaving [" ", "aa", "a"].
        assertArrayEquals(new int[]{space, aa, a}, t.encode("aaa", false, false));
    }

    @Test
    void charactersOutsideTheVocabularyFallBackToByteTokens() {
        Llama2cTokenizer t = synthetic();
        // "é" is C3 A9 in UTF-8 and no piece; "ü" is a piece.
        assertArrayEquals(new int[]{space, byteToken(0xC3), byteToken(0xA9), uUmlaut, b},
                t.encode("éüb", false, false));
        assertArrayEquals(new int[]{Llama2cTokenizer.BOS}, t.encode("", true, false)); // no dummy prefix
    }

    @Test
    void decodingDropsTheDummyPrefixAfterBosAndTurnsByteTokensIntoBytes() {
        Llama2cTokenizer t = synthetic();
        assertEquals("abc", t.decode(Llama2cTokenizer.BOS, spaceAbc));
        assertEquals(" abc", t.decode(a, spaceAbc));
        assertArrayEquals(new byte[]{(byte) 0xC3}, t.decodeBytes(a, byteToken(0xC3)));
        // A character split over byte tokens is whole again once the bytes are joined; the lone space after BOS
        // is the dummy prefix and goes.
        assertEquals("éüb", t.decode(Llama2cTokenizer.BOS,
                new int[]{space, byteToken(0xC3), byteToken(0xA9), uUmlaut, b}));
        assertEquals("<0xC3>", t.piece(byteToken(0xC3)));
        assertEquals(5f, t.score(bc));
        assertEquals(c, t.encode("c", false, false)[1]);
    }

    @Test
    void realTokenizerRoundTripsText() {
        Llama2cTokenizer t = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512);
        String[] texts = {
            "Once upon a time, there was a little girl named Lily.",
            "The cat sat on the mat. \"Why?\" asked Tom!",
            "  two leading spaces, and a tab\there",
            "Line one\nline two\n\nthree",
            "Café, naïve, 日本語 and an emoji 🙂 use byte fallback.",
            "12345 + 67890 = 80235",
        };
        for (String text : texts) {
            int[] tokens = t.encode(text, true, false);
            assertEquals(Llama2cTokenizer.BOS, tokens[0]);
            int[] pieces = Arrays.copyOfRange(tokens, 1, tokens.length);
            assertEquals(text, t.decode(Llama2cTokenizer.BOS, pieces), Arrays.toString(tokens));
        }
        // Each of "日本語"'s characters, absent from the 512-token vocabulary, is its three UTF-8 bytes.
        int[] cjk = t.encode("日", false, false);
        assertEquals(4, cjk.length);
        assertArrayEquals(new int[]{byteToken(0xE6), byteToken(0x97), byteToken(0xA5)}, Arrays.copyOfRange(cjk, 1, 4));
    }

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("tok.bin"), bytes);
    }

    @Test
    void rejectsMalformedTokenizerFilesNamingThePlace() throws IOException {
        int n = vocab.pieces.size();
        byte[] good = vocab.bytes(6);
        Path truncated = file(Arrays.copyOf(good, good.length - 2));
        BadInputException e = assertThrows(BadInputException.class, () -> Llama2cTokenizer.load(truncated, n));
        assertEquals(truncated + ": byte " + (good.length - 2) + ": token " + (n - 1) + " needs 2 bytes, found 0; "
                + "the file is truncated", e.getMessage());

        Path tooMany = file(vocab.bytes(6));
        e = assertThrows(BadInputException.class, () -> Llama2cTokenizer.load(tooMany, n - 1));
        // The 10 bytes of the last token ("ü": score, length, 2 bytes) are left over.
        assertTrue(e.getMessage().startsWith(tooMany + ": byte " + (good.length - 10)
                + ": expected the end of the file after " + (n - 1) + " tokens, found 10 more bytes"), e.getMessage());

        // EOS's piece "\n</s>\n" is 6 bytes, longer than the stated maximum; its length field is at byte
        // 4 (max_token_length) + 2 * (8 + 5) (<unk>, BOS) + 4 (EOS's score).
        Path shortLength = file(vocab.bytes(5));
        e = assertThrows(BadInputException.class, () -> Llama2cTokenizer.load(shortLength, n));
        assertEquals(shortLength + ": byte 34: token 2's length is 6; expected 0..5 (the file's max_token_length)",
                e.getMessage());

        Path empty = file(new byte[2]);
        e = assertThrows(BadInputException.class, () -> Llama2cTokenizer.load(empty, n));
        assertEquals(empty + ": byte 0: expected the int32 max_token_length, found only 2 bytes", e.getMessage());

        Path negative = file(Vocab.le(-7));
        e = assertThrows(BadInputException.class, () -> Llama2cTokenizer.load(negative, n));
        assertTrue(e.getMessage().contains("max_token_length in 1..65536, found -7"), e.getMessage());

        vocab.pieces.set(3 + 0x41, "A"); // the byte token <0x41> replaced by a plain piece
        Path noByteToken = file(vocab.bytes(6));
        e = assertThrows(BadInputException.class, () -> Llama2cTokenizer.load(noByteToken, n));
        assertEquals(noByteToken + ": token 68: expected the byte token '<0x41>', found 'A'; byte fallback needs them "
                + "at ids 3..258", e.getMessage());
    }
}
