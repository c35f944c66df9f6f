package io.nccsim.capture;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;

import java.util.List;

/**
 * One weight tensor as it sits in DRAM when deployed: its element type, its packed payload and, for integer
 * formats, the quantization metadata (fp16 scales and zero points) stored after the payload, one entry per group in
 * row-major group order.
 *
 * @param name          the model file's name for the tensor
 * @param role          what it is for
 * @param layer         its decoder layer, or {@link AccessListener#NO_LAYER}
 * @param rows          rows (1 for a vector)
 * @param cols          elements per row
 * @param type          element type of the payload
 * @param quant         the scheme, with the symmetry decided for this tensor (an "auto" spec is resolved); for
 *                      unquantized tensors a float format
 * @param payloadBytes  bytes of the packed elements
 * @param metadataBytes bytes of the scales and zero points (0 unless quantized)
 * @param groupSize     elements per quantization group (0 unless quantized)
 * @param codes         the quantizer's symbols and scales; null unless quantized, and null for a weight deployed by
 *                      shape alone ({@link DeployedWeights#shapeOnly}), whose codes were never computed
 */
public record StoredWeight(String name, TensorRole role, int layer, int rows, int cols, ElementType type,
                           WeightQuant quant, long payloadBytes, long metadataBytes, int groupSize,
                           QuantizedTensor codes) {

    public StoredWeight {
        if (codes != null && !type.quantized()) {
            throw new IllegalArgumentException(name + ": codes are kept for quantized tensors only");
        }
    }

    public long elements() {
        return (long) rows * cols;
    }

    /** Bytes in DRAM: payload plus metadata. */
    public long bytes() {
        return payloadBytes + metadataBytes;
    }

    /** This tensor as row {@code id} of a trace's tensor table (a vector has rank 1). */
    public TensorInfo tensorInfo(int id) {
        return new TensorInfo(id, name, role, layer, rows == 1 ? List.of((long) cols) : List.of((long) rows,
                (long) cols), type, bytes(), payloadBytes, groupSize);
    }

    /** A byte range of this tensor. */
    public record ByteRange(long offset, long length) {
    }

    /**
     * The payload bytes that hold row {@code row}: from the byte of its first bit to the byte of its last (a row of
     * a sub-byte type need not start on a byte boundary).
     */
    public ByteRange rowPayload(int row) {
        long bits = type.bits();
        long first = (long) row * cols * bits / 8;
        long end = ((long) (row + 1) * cols * bits + 7) / 8;
        return new ByteRange(first, end - first);
    }

    /**
     * The metadata a reader of row {@code row} needs: the row's own groups (per-channel or grouped formats, whose
     * groups never cross rows), or the tensor's single scale (per-tensor formats); null when there is none.
     */
    public ByteRange rowMetadata(int row) {
        if (metadataBytes == 0) {
            return null;
        }
        if (quant.groupSize() == WeightQuant.PER_TENSOR) {
            return new ByteRange(payloadBytes, metadataBytes);
        }
        long perRow = metadataBytes / rows;
        return new ByteRange(payloadBytes + row * perRow, perRow);
    }
}
