package io.nccsim.capture;

import io.nccsim.trace.TensorRole;

/**
 * One weight tensor as the engine uses it: a row-major matrix (a vector is one row) with the name the model file
 * gives it, what it is for, and the layer it belongs to ({@link AccessListener#NO_LAYER} outside the layers).
 *
 * <p>The elements are shared with the loaded model file rather than copied, since real models are large; neither
 * the engine nor this class ever writes them, and no method hands the array out beyond this package. A weight known
 * by its shape alone ({@link #shapeOnly}) has no elements: a shape-only engine run reads its name, role and size,
 * never its values, so a model of billions of parameters costs no memory.
 */
public final class Weight {
    private final String name;
    private final TensorRole role;
    private final int layer;
    private final int rows;
    private final int cols;
    private final float[] values;

    Weight(String name, TensorRole role, int layer, int rows, int cols, float[] values) {
        if (rows < 1 || cols < 1 || (values != null && (long) rows * cols != values.length)) {
            throw new IllegalArgumentException(name + ": " + rows + " x " + cols + " is not "
                    + (values == null ? "a shape" : values.length + " elements"));
        }
        this.name = name;
        this.role = role;
        this.layer = layer;
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    /** A weight of {@code rows x cols} elements whose values are not here. */
    static Weight shapeOnly(String name, TensorRole role, int layer, long... shape) {
        int rows = shape.length == 1 ? 1 : Math.toIntExact(shape[0]);
        return new Weight(name, role, layer, rows, Math.toIntExact(shape[shape.length - 1]), null);
    }

    /** False for a weight known by its shape alone. */
    public boolean hasValues() {
        return values != null;
    }

    public String name() {
        return name;
    }

    public TensorRole role() {
        return role;
    }

    public int layer() {
        return layer;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long elements() {
        return (long) rows * cols;
    }

    public float get(int row, int col) {
        if (values == null) {
            throw new IllegalStateException(name + " is known by its shape only: it has no values");
        }
        return values[row * cols + col];
    }

    /** The same elements seen under another role: the tied classifier is the embedding table read whole. */
    Weight as(TensorRole otherRole) {
        return new Weight(name, otherRole, layer, rows, cols, values);
    }

    /** The elements themselves, for the engine's inner loops; never written. Null for a shape-only weight. */
    float[] data() {
        return values;
    }

    @Override
    public String toString() {
        return name + " " + role.id() + " [" + rows + " x " + cols + "]";
    }
}
