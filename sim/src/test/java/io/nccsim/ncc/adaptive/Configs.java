package io.nccsim.ncc.adaptive;

import io.nccsim.config.AdaptiveConfig;
import io.nccsim.config.ConfigNode;
import io.nccsim.config.ConfigReader;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.Map;

/** Small helpers for the controller tests: configs from YAML lines, configured levels, windows. */
final class Configs {
    static final long US = 1_000_000L;

    private Configs() {
    }

    /** {@code ncc.adaptive} from the lines of its body (each indented by the caller as under "adaptive:"). */
    static AdaptiveConfig adaptive(String... body) {
        StringBuilder yaml = new StringBuilder("adaptive:\n");
        for (String line : body) {
            yaml.append("  ").append(line).append('\n');
        }
        ConfigReader root = ConfigReader.root(ConfigNode.parse(yaml.toString(), "test.yaml"));
        AdaptiveConfig c = AdaptiveConfig.read(root.section("adaptive"));
        root.finish();
        return c;
    }

    static Map<DataClass, Integer> levels(int weights, int activations, int kvCache) {
        return Map.of(DataClass.WEIGHTS, weights, DataClass.ACTIVATIONS, activations, DataClass.KV_CACHE, kvCache);
    }

    /** Window {@code i} of 10 us with the given DRAM utilization and buffer occupancy. */
    static WindowStats window(int i, double dram, double buffer) {
        return new WindowStats(i * 10 * US, (i + 1) * 10 * US, dram, buffer, 0.5, 0.5);
    }
}
