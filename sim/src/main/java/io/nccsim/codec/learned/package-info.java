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
 * </ul>
 * Library code never prints: progress goes to a callback.
 */
package io.nccsim.codec.learned;
