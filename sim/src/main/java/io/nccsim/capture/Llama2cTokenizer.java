package io.nccsim.capture;

import io.nccsim.common.BadInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * llama2.c's byte-pair tokenizer (a SentencePiece vocabulary exported to {@code tokenizer.bin}): a piece per token
 * with a merge score. Encoding starts from one token per UTF-8 character (a {@code <0xXX>} byte token per byte for
 * characters the vocabulary lacks) and repeatedly merges the adjacent pair whose concatenation is the vocabulary
 * piece with the best score.
 *
 * <p>File layout (little-endian): int32 max_token_length, then for each token: float32 score, int32 length, that
 * many bytes of the piece. The file does not say how many tokens it holds; the model's vocabulary size does.
 */
public final class Llama2cTokenizer implements DecoderTokenizer {
    /** SentencePiece's beginning-of-sequence token, which llama2.c also treats as the end of a story. */
    public static final int BOS = 1;
    /** SentencePiece's end-of-sequence token. */
    public static final int EOS = 2;
    /** Byte token {@code <0x00>}'s id: the 256 byte tokens follow {@code <unk>}, BOS and EOS. */
    private static final int FIRST_BYTE_TOKEN = 3;

    private final byte[][] pieces;
    private final float[] scores;
    private final int maxTokenLength;
    /** Piece bytes (as ISO-8859-1 chars, one per byte, so lookups compare bytes exactly) to the lowest such id. */
    private final Map<String, Integer> ids;

    private Llama2cTokenizer(byte[][] pieces, float[] scores, int maxTokenLength) {
        this.pieces = pieces;
        this.scores = scores;
        this.maxTokenLength = maxTokenLength;
        this.ids = new HashMap<>();
        for (int i = 0; i < pieces.length; i++) {
            ids.putIfAbsent(key(pieces[i]), i);
        }
    }

    /** Reads {@code file}, which must hold exactly {@code vocabSize} tokens. */
    public static Llama2cTokenizer load(Path file, int vocabSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the tokenizer: " + e.getMessage(), e);
        }
        return parse(file.toString(), bytes, vocabSize);
    }

    /** Parses tokenizer {@code bytes} named {@code name} in messages. */
    public static Llama2cTokenizer parse(String name, byte[] bytes, int vocabSize) {
        if (vocabSize < FIRST_BYTE_TOKEN + 256) {
            throw new IllegalArgumentException("a llama2.c vocabulary holds at least <unk>, BOS, EOS and 256 byte "
                    + "tokens; got vocab size " + vocabSize);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 4) {
            throw new BadInputException(name + ": byte 0: expected the int32 max_token_length, found only "
                    + b.remaining() + " bytes");
        }
        int maxLen = b.getInt();
        if (maxLen <= 0 || maxLen > 1 << 16) {
            throw new BadInputException(name + ": byte 0: expected max_token_length in 1..65536, found " + maxLen
                    + "; is this a llama2.c tokenizer.bin?");
        }
        byte[][] pieces = new byte[vocabSize][];
        float[] scores = new float[vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            int at = b.position();
            if (b.remaining() < 8) {
                throw new BadInputException(name + ": byte " + at + ": expected token " + i + "'s score and length "
                        + "(8 bytes), found " + b.remaining() + "; the file ends before the model's " + vocabSize
                        + " tokens");
            }
            scores[i] = b.getFloat();
            int len = b.getInt();
            if (Float.isNaN(scores[i])) {
                throw new BadInputException(name + ": byte " + at + ": token " + i
                        + "'s score is NaN; expected a number");
            }
            if (len < 0 || len > maxLen) {
                throw new BadInputException(name + ": byte " + (at + 4) + ": token " + i + "'s length is " + len
                        + "; expected 0.." + maxLen + " (the file's max_token_length)");
            }
            if (b.remaining() < len) {
                throw new BadInputException(name + ": byte " + b.position() + ": token " + i + " needs " + len
                        + " bytes, found " + b.remaining() + "; the file is truncated");
            }
            pieces[i] = new byte[len];
            b.get(pieces[i]);
        }
        if (b.hasRemaining()) {
            throw new BadInputException(name + ": byte " + b.position() + ": expected the end of the file after "
                    + vocabSize + " tokens, found " + b.remaining() + " more bytes; does the tokenizer belong to "
                    + "this model?");
        }
        for (int byteValue = 0; byteValue < 256; byteValue++) {
            String expected = String.format("<0x%02X>", byteValue);
            String found = new String(pieces[FIRST_BYTE_TOKEN + byteValue], StandardCharsets.ISO_8859_1);
            if (!expected.equals(found)) {
                throw new BadInputException(name + ": token " + (FIRST_BYTE_TOKEN + byteValue) + ": expected the byte "
                        + "token '" + expected + "', found '" + found + "'; byte fallback needs them at ids 3..258");
            }
        }
        Llama2cTokenizer t = new Llama2cTokenizer(pieces, scores, maxLen);
        if (!t.ids.containsKey(" ")) {
            throw new BadInputException(name + ": no token is a single space; expected one for SentencePiece's "
                    + "dummy prefix");
        }
        return t;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bos() {
        return BOS;
    }

    @Override
    public Set<Integer> eos() {
        return Set.of(EOS);
    }

    /** BOS, SentencePiece's dummy prefix and the merged pieces, as llama2.c encodes a prompt. */
    @Override
    public int[] encodePrompt(String text) {
        return encode(text, true, false);
    }

    /** The text of {@code tokens} after BOS (the first piece loses its dummy-prefix space), as llama2.c prints it. */
    @Override
    public String decode(int[] tokens) {
        return decode(BOS, tokens);
    }

    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** The piece of {@code token} as text (byte tokens as written, e.g. {@code <0x0A>}). */
    public String piece(int token) {
        return new String(pieces[checkToken(token)], StandardCharsets.UTF_8);
    }

    public float score(int token) {
        return scores[checkToken(token)];
    }

    /**
     * The tokens of {@code text}: optionally BOS first, then SentencePiece's "dummy prefix" (a space, so that the
     * first word is tokenized like any other word) when the text is not empty, then the merged pieces, then
     * optionally EOS.
     */
    public int[] encode(String text, boolean bos, boolean eos) {
        List<Integer> tokens = new ArrayList<>();
        if (bos) {
            tokens.add(BOS);
        }
        int firstPiece = tokens.size();
        if (!text.isEmpty()) {
            tokens.add(ids.get(" "));
        }
        text.codePoints().forEach(cp -> {
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            Integer id = ids.get(key(utf8));
            if (id != null) {
                tokens.add(id);
            } else {
                for (byte x : utf8) { // byte fallback: one <0xXX> token per byte of the character
                    tokens.add(FIRST_BYTE_TOKEN + (x & 0xff));
                }
            }
        });
        mergePairs(tokens, firstPiece);
        if (eos) {
            tokens.add(EOS);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Merges, again and again, the adjacent pair (at or after {@code from}) whose concatenation is a piece with the
     * highest score; among equal scores the leftmost pair wins. Stops when no pair concatenates to a piece.
     */
    private void mergePairs(List<Integer> tokens, int from) {
        while (true) {
            float bestScore = Float.NEGATIVE_INFINITY;
            int bestIndex = -1;
            int bestId = -1;
            for (int i = from; i + 1 < tokens.size(); i++) {
                byte[] a = pieces[tokens.get(i)];
                byte[] b = pieces[tokens.get(i + 1)];
                if (a.length + b.length > maxTokenLength) {
                    continue; // no piece is that long
                }
                Integer id = ids.get(key(a) + key(b));
                if (id != null && scores[id] > bestScore) {
                    bestScore = scores[id];
                    bestIndex = i;
                    bestId = id;
                }
            }
            if (bestIndex < 0) {
                return;
            }
            tokens.set(bestIndex, bestId);
            tokens.remove(bestIndex + 1);
        }
    }

    /**
     * The bytes {@code token} stands for when it follows {@code previous}: a byte token gives its byte; after BOS
     * a piece loses its leading space (the dummy prefix encode added).
     */
    public byte[] decodeBytes(int previous, int token) {
        byte[] p = pieces[checkToken(token)];
        if (token >= FIRST_BYTE_TOKEN && token < FIRST_BYTE_TOKEN + 256) {
            return new byte[]{(byte) (token - FIRST_BYTE_TOKEN)};
        }
        if (previous == BOS && p.length > 0 && p[0] == ' ') {
            return Arrays.copyOfRange(p, 1, p.length);
        }
        return p.clone();
    }

    /**
     * {@link #decodeBytes} as text. A character split over several byte tokens shows as replacement characters
     * here; {@link #decode(int, int[])} joins the bytes first.
     */
    public String decode(int previous, int token) {
        return new String(decodeBytes(previous, token), StandardCharsets.UTF_8);
    }

    /** The text of {@code tokens} following {@code previous}: every token's bytes joined, then read as UTF-8. */
    public String decode(int previous, int[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = previous;
        for (int t : tokens) {
            out.writeBytes(decodeBytes(prev, t));
            prev = t;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private int checkToken(int token) {
        if (token < 0 || token >= pieces.length) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary 0.."
                    + (pieces.length - 1));
        }
        return token;
    }

    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
