package io.nccsim.codec.learned;

/**
 * A fully connected layer {@code out = W in + b} whose weights live in a flat parameter vector: W row-major
 * (out rows of in columns) at {@code offset}, then b. Keeping every layer in one array gives Adam one loop and makes
 * a snapshot of the best parameters a single array copy.
 */
final class Dense {
    final String name;
    final int in;
    final int out;
    final int offset;

    Dense(String name, int in, int out, int offset) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.offset = offset;
    }

    int parameterCount() {
        return in * out + out;
    }

    int biasOffset() {
        return offset + in * out;
    }

    ParameterGroup weights() {
        return new ParameterGroup(name + ".W", offset, in * out);
    }

    ParameterGroup biases() {
        return new ParameterGroup(name + ".b", biasOffset(), out);
    }

    void forward(double[] p, double[] x, double[] y) {
        int b = biasOffset();
        for (int o = 0; o < out; o++) {
            double s = p[b + o];
            int row = offset + o * in;
            for (int i = 0; i < in; i++) {
                s += p[row + i] * x[i];
            }
            y[o] = s;
        }
    }

    /**
     * Adds dL/dW and dL/db to {@code g} given dL/dy, and writes dL/dx to {@code dx} (when not null).
     */
    void backward(double[] p, double[] x, double[] dy, double[] g, double[] dx) {
        int b = biasOffset();
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, in, 0.0);
        }
        for (int o = 0; o < out; o++) {
            double d = dy[o];
            g[b + o] += d;
            int row = offset + o * in;
            if (dx != null) {
                for (int i = 0; i < in; i++) {
                    g[row + i] += d * x[i];
                    dx[i] += p[row + i] * d;
                }
            } else {
                for (int i = 0; i < in; i++) {
                    g[row + i] += d * x[i];
                }
            }
        }
    }
}
