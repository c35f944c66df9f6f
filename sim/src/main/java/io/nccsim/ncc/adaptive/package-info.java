/**
 * Adaptive compression levels: which level (0 bypass, 1 lossless, 2..4 lossy LSB drop, 5..7 learned) each data
 * class uses, and when it changes.
 *
 * <p>{@link io.nccsim.ncc.adaptive.LevelController} is the one object the NCC timing model talks to; it owns one
 * {@link io.nccsim.ncc.adaptive.LevelPolicy}, chosen by {@code ncc.adaptive.policy}
 * ({@link io.nccsim.config.AdaptiveConfig}): {@link io.nccsim.ncc.adaptive.StaticPolicy},
 * {@link io.nccsim.ncc.adaptive.BandwidthPressurePolicy}, {@link io.nccsim.ncc.adaptive.SramOccupancyPolicy} or
 * {@link io.nccsim.ncc.adaptive.SpeedAdaptivePolicy}. The lossy levels' arithmetic is
 * {@link io.nccsim.codec.LsbDrop}.
 */
package io.nccsim.ncc.adaptive;
