package io.nccsim.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/**
 * A whole, validated board configuration: what {@code --config FILE [--set k=v]...} resolves to.
 *
 * @param name      board name, e.g. "jetson_nano"
 * @param processor the edge processor
 * @param ncc       the NCC design
 * @param memory    the memory system
 * @param energy    energy parameters
 * @param resolved  the merged YAML tree (includes and overrides applied), as it goes into the report
 */
public record SimConfig(String name, ProcessorConfig processor, NccConfig ncc, MemoryConfig memory,
                        EnergyConfig energy, JsonNode resolved) {

    /** Loads {@code file}, resolves its {@code use:} includes, applies {@code --set} overrides and validates all. */
    public static SimConfig load(Path file, List<String> sets) {
        ConfigNode tree = ConfigLoader.applySets(ConfigLoader.load(file), sets);
        ConfigReader r = ConfigReader.root(tree);
        SimConfig c = new SimConfig(
                r.string("name"),
                ProcessorConfig.read(r.section("processor")),
                NccConfig.read(r.section("ncc")),
                MemoryConfig.read(r.section("memory")),
                EnergyConfig.read(r.section("energy")),
                tree.toJson());
        r.string("description", "");
        r.finish();
        return c;
    }

    /** The same configuration with the NCC bypassed: the baseline of every run. */
    public SimConfig withNccBypassed() {
        return new SimConfig(name, processor, ncc.bypassed(), memory, energy, resolved);
    }
}
