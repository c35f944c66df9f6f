package io.nccsim.codec.learned;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One {@link TensorCoder} setting measured on a set of tensors: every value coded and decoded, the rate over all of
 * them (each tensor's bits plus the setting's shared bits) and the error in the data's own units.
 *
 * @param method      the coder's curve
 * @param setting     the coder's point on it
 * @param tensors     tensors coded
 * @param values      values coded
 * @param bits        bits stored: every tensor's and the shared ones
 * @param idealBits   the same under an ideal entropy coder (NaN when the method has no model of its own)
 * @param sharedBits  of those, the bits stored once for the setting (a learned level's tables)
 * @param mse         mean squared error over the values
 * @param signalPower mean square of the values
 */
public record RdMeasurement(String method, String setting, int tensors, long values, long bits, double idealBits,
                            long sharedBits, double mse, double signalPower) {
    public double bitsPerValue() {
        return (double) bits / values;
    }

    public double idealBitsPerValue() {
        return idealBits / values;
    }

    /** 10 log10(signal / noise); +Infinity when exact. */
    public double sqnrDb() {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signalPower / mse);
    }

    public RdPoint point() {
        return new RdPoint(method, bitsPerValue(), mse, sqnrDb());
    }

    /** Codes every tensor of {@code tensors} with {@code coder}. */
    public static RdMeasurement measure(TensorCoder coder, List<SourceTensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("no tensors to measure on");
        }
        long values = 0;
        long bits = coder.sharedBits();
        double ideal = coder.sharedBits();
        double noise = 0;
        double signal = 0;
        for (SourceTensor t : tensors) {
            TensorCoder.Coded c = coder.code(t);
            float[] v = t.values();
            float[] d = c.values();
            for (int i = 0; i < v.length; i++) {
                double e = (double) d[i] - v[i];
                noise += e * e;
                signal += (double) v[i] * v[i];
            }
            values += v.length;
            bits += c.bits();
            ideal += c.idealBits();
        }
        return new RdMeasurement(coder.method(), coder.setting(), tensors.size(), values, bits, ideal,
                coder.sharedBits(), noise / values, signal / values);
    }

    /**
     * {@link #measure} for each coder, in the given order, on at most {@code threads} threads: the coders are
     * independent and each is deterministic, so the results do not depend on the threads.
     */
    public static List<RdMeasurement> measureAll(List<? extends TensorCoder> coders, List<SourceTensor> tensors,
                                                 int threads) {
        if (threads <= 1 || coders.size() <= 1) {
            List<RdMeasurement> out = new ArrayList<>();
            for (TensorCoder c : coders) {
                out.add(measure(c, tensors));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, coders.size()));
        try {
            List<Future<RdMeasurement>> futures = new ArrayList<>();
            for (TensorCoder c : coders) {
                futures.add(pool.submit(() -> measure(c, tensors)));
            }
            List<RdMeasurement> out = new ArrayList<>();
            for (Future<RdMeasurement> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
