/**
 * The generic config layer: YAML files with units, includes and overrides, read strictly into typed values.
 *
 * <p>Simulation results are only as trustworthy as the parameters behind them, and the usual failure is not a crash
 * but a silently ignored typo or a number in the wrong unit. This layer therefore:
 * <ul>
 *   <li>keeps the line and column of every key and value ({@link io.nccsim.config.ConfigNode},
 *       {@link io.nccsim.config.SourceLocation}), through includes and {@code --set} overrides
 *       ({@link io.nccsim.config.ConfigLoader}), so every error names the exact text to fix;</li>
 *   <li>requires units on physical quantities and converts them to one base unit per dimension
 *       ({@link io.nccsim.config.Units});</li>
 *   <li>rejects keys that no code reads, with a "did you mean" hint, and range-checks every number
 *       ({@link io.nccsim.config.ConfigReader}).</li>
 * </ul>
 * All user mistakes surface as a one-line {@link io.nccsim.common.BadInputException}.
 *
 * <p>Typical use:
 * <pre>{@code
 * ConfigNode tree = ConfigLoader.applySets(ConfigLoader.load(path), setOptions);
 * ConfigReader root = ConfigReader.root(tree);
 * ConfigReader ncc = root.section("ncc");
 * double clockHz = ncc.frequencyHz("clock");
 * int lanes = ncc.section("decoder").integer("lanes", 1, 64, 4);
 * root.finish();   // unknown keys anywhere in the sections read above
 * }</pre>
 */
package io.nccsim.config;
