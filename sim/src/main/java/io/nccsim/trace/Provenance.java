package io.nccsim.trace;

import java.util.Objects;

/**
 * Where a trace's content came from. {@code captured}: recorded from a real run of a real model file, whose sha256
 * is given. {@code modeled}: made by a generator from a model's published shape, {@code method} says how.
 *
 * @param kind         "captured" or "modeled"
 * @param sourceSha256 sha256 of the model file a captured trace came from; null for modeled content
 * @param method       a sentence on how the content was produced (for modeled: distributions, seeds, fits)
 */
public record Provenance(String kind, String sourceSha256, String method) {
    public static final String CAPTURED = "captured";
    public static final String MODELED = "modeled";

    public Provenance {
        Objects.requireNonNull(kind, "kind");
        if (!kind.equals(CAPTURED) && !kind.equals(MODELED)) {
            throw new IllegalArgumentException("provenance kind must be captured or modeled, got " + kind);
        }
        Objects.requireNonNull(method, "method");
    }

    public boolean isModeled() {
        return kind.equals(MODELED);
    }
}
