package io.nccsim.codec.learned;

import java.util.Objects;

/**
 * A trained learned level as a {@link TensorCoder}: the tensor divided by its fp32 RMS ({@link TensorScaling}),
 * blocks of n along each row through encode, Huffman-coded latents, decode, and back to the tensor's scale.
 *
 * <p>A row whose length is not a multiple of n ends in a short block, padded with zeros to n before encoding; its
 * latents are coded in full (the padding costs bits, as it would in hardware) and only its real values are kept.
 * So every value of every tensor goes through the codec. Bits per tensor: the latents' Huffman codes (escapes
 * included) and the 32-bit scale; the level's tables are {@link #sharedBits()}, stored once with its decoder.
 */
public final class LearnedTensorCoder implements TensorCoder {
    public static final String METHOD = "learned";

    private final String level;
    private final TrainedBlockCodec codec;

    public LearnedTensorCoder(String level, TrainedBlockCodec codec) {
        this.level = Objects.requireNonNull(level, "level");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public TrainedBlockCodec codec() {
        return codec;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public String setting() {
        return level;
    }

    @Override
    public long sharedBits() {
        return 8 * codec.tableBytes();
    }

    @Override
    public Coded code(SourceTensor t) {
        int n = codec.config().blockSize();
        float scale = TensorScaling.rmsScale(t.values());
        float[] v = t.values();
        float[] out = new float[v.length];
        long bits = TensorScaling.SCALE_BITS;
        double ideal = TensorScaling.SCALE_BITS;
        double[] block = new double[n];
        for (int r = 0; r < t.rows(); r++) {
            int rowStart = r * t.cols();
            for (int c0 = 0; c0 < t.cols(); c0 += n) {
                int len = Math.min(n, t.cols() - c0);
                java.util.Arrays.fill(block, 0.0);
                for (int j = 0; j < len; j++) {
                    block[j] = v[rowStart + c0 + j] / (double) scale;
                }
                int[] latent = codec.encode(block);
                bits += codec.bitsHuffman(latent);
                ideal += codec.bitsIdeal(latent);
                double[] decoded = codec.decode(latent);
                for (int j = 0; j < len; j++) {
                    out[rowStart + c0 + j] = (float) (decoded[j] * scale);
                }
            }
        }
        return new Coded(out, bits, ideal);
    }
}
