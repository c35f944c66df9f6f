/**
 * The learned block codec: a per-block autoencoder (LINEAR or a small MLP) whose latent is quantized to integer
 * bins and entropy-coded under a learned factorized prior, trained end to end on distortion + lambda x rate, with
 * real Huffman codes for the measured bit counts.
 *
 * <ul>
 *   <li>{@link io.nccsim.codec.learned.BlockCodecConfig}: architecture, step, lambdas, training settings.</li>
 *   <li>{@link io.nccsim.codec.learned.BlockCodecTrainer}: Adam, minibatches, schedule, early stopping; seeded.</li>
 *   <li>{@link io.nccsim.codec.learned.TrainedBlockCodec}: encode, decode, ideal and Huffman bits, evaluate.</li>
 *   <li>{@link io.nccsim.codec.learned.LevelFamily}: trains a family of levels, picks architectures by total loss,
 *       and returns a {@link io.nccsim.codec.learned.CodecProfile} (JSON) of what each level measured.</li>
 *   <li>Real data: {@link io.nccsim.codec.learned.TensorSources}, {@link io.nccsim.codec.learned.ActivationCapture},
 *       {@link io.nccsim.codec.learned.CodecSources}, {@link io.nccsim.codec.learned.BlockDataset} (blocks split by
 *       layer), {@link io.nccsim.codec.learned.CodecTraining} (what {@code nccsim codec train} runs) and
 *       {@link io.nccsim.codec.learned.TrainedCodecs} (the trained levels as a file).</li>
 *   <li>Judging: {@link io.nccsim.codec.learned.TensorCoder}s (learned levels, quantization + Huffman, uniform step +
 *       Huffman, learned residuals) measured on the same held-out tensors by
 *       {@link io.nccsim.codec.learned.HeldOutEvaluation} (what {@code nccsim codec eval} runs).</li>
 * </ul>
 * Library code never prints: progress goes to a callback.
 */
package io.nccsim.codec.learned;
