package io.nccsim.codec;

import io.nccsim.common.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Huffman-codes a model's quantized tensors as the NCC stores them: tables built per {@link TableScope} from the
 * tensors' own symbol counts (weights are compressed offline, so the tables can fit them), every tensor cut into
 * independently decodable blocks of {@code blockSymbols} symbols laid out by a {@link MultiStreamLayout}. Every
 * block is decoded again and compared, so the accounting is of streams known to be correct.
 */
public final class TensorCoder {
    private final TableScope scope;
    private final int blockSymbols;
    private final int maxCodeLength;
    private final MultiStreamLayout layout;

    /**
     * @param blockSymbols  symbols per block, 1..2^24 (the last block of a tensor may be shorter)
     * @param maxCodeLength the decoder's code length limit, 1..30
     */
    public TensorCoder(TableScope scope, int blockSymbols, int maxCodeLength, MultiStreamLayout layout) {
        if (blockSymbols < 1 || blockSymbols > 1 << 24) {
            throw new BadInputException("tensor coder: block_symbols: expected 1..16777216, found " + blockSymbols);
        }
        if (maxCodeLength < 1 || maxCodeLength > 30) {
            throw new BadInputException("tensor coder: max_code_length: expected 1..30, found " + maxCodeLength);
        }
        this.scope = scope;
        this.blockSymbols = blockSymbols;
        this.maxCodeLength = maxCodeLength;
        this.layout = layout;
    }

    /** Codes every tensor; the records come back in input order. */
    public HuffmanPlan code(List<NamedTensor> tensors) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tensors.size(); i++) {
            NamedTensor t = tensors.get(i);
            if (!names.add(t.name())) {
                throw new BadInputException("tensor coder: tensor " + i + ": expected unique names, found '"
                        + t.name() + "' twice");
            }
            int bits = t.tensor().bits();
            if (bits > 8) {
                throw new BadInputException("tensor coder: tensor '" + t.name() + "': expected symbols of at most 8"
                        + " bits, found " + t.tensor().quant().id());
            }
            groups.computeIfAbsent(groupOf(t), g -> new ArrayList<>()).add(i);
        }
        List<long[]> histograms = new ArrayList<>();
        for (NamedTensor t : tensors) {
            histograms.add(t.tensor().histogram());
        }
        List<CodedTable> tables = new ArrayList<>();
        int[] tableOf = new int[tensors.size()];
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            long[] counts = new long[tensors.get(members.get(0)).tensor().alphabetSize()];
            List<String> memberNames = new ArrayList<>();
            for (int i : members) {
                long[] h = histograms.get(i);
                for (int s = 0; s < counts.length; s++) {
                    counts[s] += h[s];
                }
                memberNames.add(tensors.get(i).name());
                tableOf[i] = tables.size();
            }
            tables.add(new CodedTable(tables.size(), g.getKey(), build(counts, g.getKey()), memberNames));
        }
        List<HuffmanEncoder> encoders = new ArrayList<>();
        List<HuffmanDecoder> decoders = new ArrayList<>();
        for (CodedTable t : tables) {
            encoders.add(new HuffmanEncoder(t.code()));
            decoders.add(new HuffmanDecoder(t.code()));
        }
        boolean[] charged = new boolean[tables.size()];
        List<TensorCoding> out = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            int table = tableOf[i];
            long tableBits = charged[table] ? 0 : tables.get(table).bits();
            charged[table] = true;
            out.add(codeTensor(tensors.get(i), histograms.get(i), table, tableBits, encoders.get(table),
                    decoders.get(table)));
        }
        return new HuffmanPlan(scope, blockSymbols, layout, tables, out);
    }

    private String groupOf(NamedTensor t) {
        String width = " int" + t.tensor().bits();
        return switch (scope) {
            case PER_TENSOR -> "tensor " + t.name();
            case PER_LAYER -> {
                OptionalInt layer = LayerNames.layerOf(t.name());
                yield layer.isPresent() ? "layer " + layer.getAsInt() + width : "tensor " + t.name();
            }
            case SHARED -> "shared" + width;
        };
    }

    private HuffmanCode build(long[] counts, String group) {
        long used = Arrays.stream(counts).filter(c -> c > 0).count();
        if (used > 1L << maxCodeLength) {
            throw new BadInputException("tensor coder: table '" + group + "': max_code_length: expected at least "
                    + (64 - Long.numberOfLeadingZeros(used - 1)) + " bits to code its " + used + " symbols, found "
                    + maxCodeLength);
        }
        return HuffmanCode.build(counts, maxCodeLength);
    }

    private TensorCoding codeTensor(NamedTensor named, long[] histogram, int table, long tableBits,
                                    HuffmanEncoder encoder, HuffmanDecoder decoder) {
        QuantizedTensor t = named.tensor();
        byte[] symbols = t.symbols();
        int n = symbols.length;
        int blocks = (int) (((long) n + blockSymbols - 1) / blockSymbols);
        int[] blockBytes = new int[blocks];
        long payload = 0;
        long header = 0;
        long padding = 0;
        double blockShannon = 0;
        boolean exact = true;
        byte[] decoded = new byte[Math.min(n, blockSymbols)];
        long[] blockHistogram = new long[t.alphabetSize()];
        for (int b = 0; b < blocks; b++) {
            int from = b * blockSymbols;
            int to = Math.min(n, from + blockSymbols);
            Arrays.fill(blockHistogram, 0);
            for (int i = from; i < to; i++) {
                blockHistogram[symbols[i] & 0xFF]++;
            }
            blockShannon += Entropy.bitsPerSymbol(blockHistogram) * (to - from);
            StreamedBlock block = layout.encode(symbols, from, to, encoder);
            blockBytes[b] = block.bytes().length;
            payload += block.payloadBits();
            header += block.headerBits();
            padding += block.paddingBits();
            layout.decode(block.bytes(), 0, block.bytes().length, to - from, decoder, decoded, 0);
            exact &= Arrays.equals(decoded, 0, to - from, symbols, from, to);
        }
        OptionalInt layer = LayerNames.layerOf(named.name());
        return new TensorCoding(named.name(), layer.orElse(-1), table, t.bits(), n, (long) n * t.bits(),
                Entropy.bitsPerSymbol(histogram) * n, blockShannon, payload, header, padding, tableBits, blockBytes,
                exact);
    }
}
