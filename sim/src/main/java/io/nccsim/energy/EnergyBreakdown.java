package io.nccsim.energy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Energy in joules per component ("processor", "dram", "ncc") and per item within it ("read", "static"...). */
public final class EnergyBreakdown {
    private final Map<String, Map<String, Double>> joules = new LinkedHashMap<>();

    public void add(String component, String item, double j) {
        joules.computeIfAbsent(component, k -> new LinkedHashMap<>()).merge(item, j, Double::sum);
    }

    public Map<String, Map<String, Double>> items() {
        return Collections.unmodifiableMap(joules);
    }

    public double component(String component) {
        return joules.getOrDefault(component, Map.of()).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public double total() {
        double t = 0;
        for (String c : joules.keySet()) {
            t += component(c);
        }
        return t;
    }
}
