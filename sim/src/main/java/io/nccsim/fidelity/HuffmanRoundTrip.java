package io.nccsim.fidelity;

import io.nccsim.codec.HuffmanCode;
import io.nccsim.codec.HuffmanDecoder;
import io.nccsim.codec.HuffmanEncoder;
import io.nccsim.codec.HuffmanPlan;
import io.nccsim.codec.MultiStreamLayout;
import io.nccsim.codec.NamedTensor;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.StreamedBlock;
import io.nccsim.codec.TableScope;
import io.nccsim.codec.TensorCoder;
import io.nccsim.codec.TensorCoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Quantized tensors through the NCC's weight path and back: Huffman-coded by {@link TensorCoder} into blocks as the
 * NCC stores them, then every block decoded again with the plan's own tables, and the decoded symbols (not the
 * originals) handed on. The decoded symbols are compared with the originals; a difference would be a codec bug and
 * is thrown as an {@link IllegalStateException}, so a model run on the result has provably lost nothing to the
 * entropy coder.
 *
 * <p>Coding parameters are those of the baseline NCC design ({@code configs/ncc/huffman_base.yaml}): blocks of
 * {@value #BLOCK_SYMBOLS} symbols, codes of at most {@value #MAX_CODE_LENGTH} bits, {@value #STREAMS} chunked
 * streams per block (one per decoder lane), here byte-aligned; one table per tensor, fitted to its own symbols.
 */
public final class HuffmanRoundTrip {
    public static final int BLOCK_SYMBOLS = 16384;
    public static final int MAX_CODE_LENGTH = 12;
    public static final TableScope SCOPE = TableScope.PER_TENSOR;
    public static final int STREAMS = 32;
    public static final MultiStreamLayout LAYOUT = MultiStreamLayout.of(STREAMS, MultiStreamLayout.Split.CHUNKED);

    private HuffmanRoundTrip() {
    }

    /**
     * The outcome: the tensors rebuilt from decoded symbols, in input order, and what coding them cost.
     *
     * @param decoded         each input tensor with its symbols replaced by the decoded ones
     * @param plan            the coder's plan: tables and per-tensor bits
     * @param symbolsCompared symbols decoded and found equal to the originals
     */
    public record Result(List<NamedTensor> decoded, HuffmanPlan plan, long symbolsCompared) {
        public Result {
            decoded = List.copyOf(decoded);
        }

        /** Stored bits of the coded symbols: payload, block headers, padding and tables. */
        public long storedBits() {
            return plan.storedBits();
        }
    }

    /** Codes {@code tensors}, decodes every block back and returns the decoded tensors. */
    public static Result run(List<NamedTensor> tensors) {
        HuffmanPlan plan = new TensorCoder(SCOPE, BLOCK_SYMBOLS, MAX_CODE_LENGTH, LAYOUT).code(tensors);
        List<NamedTensor> decoded = new ArrayList<>();
        long compared = 0;
        for (int i = 0; i < tensors.size(); i++) {
            NamedTensor named = tensors.get(i);
            TensorCoding coding = plan.tensors().get(i);
            HuffmanCode code = plan.tables().get(coding.table()).code();
            byte[] symbols = decodeAgain(named, coding, new HuffmanEncoder(code), new HuffmanDecoder(code));
            QuantizedTensor t = named.tensor();
            byte[] original = t.symbols();
            for (int s = 0; s < symbols.length; s++) {
                if (symbols[s] != original[s]) {
                    throw new IllegalStateException("Huffman round trip of " + named.name() + ": symbol " + s
                            + " came back as " + (symbols[s] & 0xFF) + ", was " + (original[s] & 0xFF));
                }
            }
            compared += symbols.length;
            decoded.add(new NamedTensor(named.name(),
                    new QuantizedTensor(t.rows(), t.cols(), t.quant(), symbols, t.scales(), t.zeroPoints())));
        }
        return new Result(decoded, plan, compared);
    }

    /**
     * Encodes the tensor's blocks with its table and decodes each into a fresh array. The plan records each block's
     * size; a block of another size would mean these are not the blocks the plan costed.
     */
    private static byte[] decodeAgain(NamedTensor named, TensorCoding coding, HuffmanEncoder encoder,
                                      HuffmanDecoder decoder) {
        byte[] symbols = named.tensor().symbols();
        byte[] out = new byte[symbols.length];
        int[] planned = coding.blockBytes();
        for (int b = 0, from = 0; from < symbols.length; b++, from += BLOCK_SYMBOLS) {
            int to = Math.min(symbols.length, from + BLOCK_SYMBOLS);
            StreamedBlock block = LAYOUT.encode(symbols, from, to, encoder);
            if (block.bytes().length != planned[b]) {
                throw new IllegalStateException("Huffman round trip of " + named.name() + ": block " + b + " is "
                        + block.bytes().length + " bytes, the plan says " + planned[b]);
            }
            LAYOUT.decode(block.bytes(), 0, block.bytes().length, to - from, decoder, out, from);
        }
        return out;
    }
}
