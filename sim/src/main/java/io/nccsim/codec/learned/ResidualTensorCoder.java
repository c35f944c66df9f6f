package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The learned codec as a residual coder next to Huffman: a tensor is first quantized and Huffman-coded by a base
 * {@link BlockQuantTensorCoder} (what the NCC's lossless path stores), and what that leaves, the residual
 * {@code x - q(x)}, is coded by a learned level trained on such residuals. The reader adds the two. Bits: the
 * base's and the level's.
 *
 * <p>The question it answers: does a learned transform find structure in what a quantizer throws away that a finer
 * quantizer would not capture as cheaply?
 */
public final class ResidualTensorCoder implements TensorCoder {
    private static final Pattern SPEC = Pattern.compile("int([2-8])-g([0-9]+)-(sym|asym)");

    private final BlockQuantTensorCoder base;
    private final LearnedTensorCoder residual;

    public ResidualTensorCoder(BlockQuantTensorCoder base, LearnedTensorCoder residual) {
        this.base = Objects.requireNonNull(base, "base");
        this.residual = Objects.requireNonNull(residual, "residual");
    }

    /**
     * The base coder of a spec {@code intB-gN-sym|asym} (B 2..8, N 1..65536), e.g. {@code int4-g16-sym}; Huffman
     * codes of at most 12 bits as the baseline's.
     *
     * @param where names the option or file for the one-line error
     */
    public static BlockQuantTensorCoder parseBase(String spec, String where) {
        Matcher m = SPEC.matcher(spec.trim().toLowerCase(Locale.ROOT));
        int group = -1;
        if (m.matches()) {
            try {
                group = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                group = -1;
            }
        }
        if (!m.matches() || group < 1 || group > 65536) {
            throw new BadInputException(where + " '" + spec + "': expected intB-gN-sym or intB-gN-asym with B 2..8 "
                    + "and N 1..65536, e.g. int4-g16-sym");
        }
        return new BlockQuantTensorCoder(Integer.parseInt(m.group(1)), m.group(3).equals("sym"), group,
                QuantHuffmanBaseline.DEFAULT_MAX_CODE_LENGTH);
    }

    /** The spelling {@link #parseBase} reads. */
    public static String spec(BlockQuantTensorCoder base) {
        return "int" + base.bits() + "-g" + base.group() + "-" + (base.symmetric() ? "sym" : "asym");
    }

    /** {@code t} minus the base coder's reconstruction of it: the data a residual level trains on. */
    public static SourceTensor residualOf(BlockQuantTensorCoder base, SourceTensor t) {
        float[] q = base.code(t).values();
        float[] v = t.values();
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] - q[i];
        }
        return new SourceTensor(t.model(), t.name(), t.role(), t.layer(), t.rows(), t.cols(), r);
    }

    @Override
    public String method() {
        return "learned residual of " + spec(base);
    }

    @Override
    public String setting() {
        return residual.setting();
    }

    @Override
    public long sharedBits() {
        return residual.sharedBits();
    }

    @Override
    public Coded code(SourceTensor t) {
        Coded b = base.code(t);
        float[] v = t.values();
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] - b.values()[i];
        }
        Coded l = residual.code(new SourceTensor(t.model(), t.name(), t.role(), t.layer(), t.rows(), t.cols(), r));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = b.values()[i] + l.values()[i];
        }
        return new Coded(out, b.bits() + l.bits(), b.idealBits() + l.idealBits());
    }
}
