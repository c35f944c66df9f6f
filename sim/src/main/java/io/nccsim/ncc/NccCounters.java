package io.nccsim.ncc;

import io.nccsim.trace.TensorRole;

import java.util.EnumMap;
import java.util.Map;

/** The NCC's activity, for the report and its energy account. */
public final class NccCounters {
    /** Bytes the processor asked for (raw) and the bytes that crossed the DRAM bus for them, per data class. */
    final Map<TensorRole.DataClass, long[]> rawAndBusBytes = new EnumMap<>(TensorRole.DataClass.class);
    /** The same, per tensor role (a finer cut of the same bytes: each role belongs to one class). */
    final long[][] rawAndBusBytesByRole = new long[TensorRole.values().length][2];
    long symbolsDecoded;
    long symbolsEncoded;
    long tableLoads;
    long tableBytesLoaded;
    long sramBytesRead;
    long sramBytesWritten;
    long decodedRawBytes;
    long deliveredPayloadBytes;
    long decoderBusyPs;
    long encoderBusyPs;
    long tilesDecoded;
    long tilesEncoded;
    long tilesBypassed;
    long commandsExecuted;
    final long[] opcodeCounts = new long[io.nccsim.isa.Opcode.values().length];
    long tableLookups;
    long dmaBytesRead;
    long dmaBytesWritten;
    long dmaBufferStalls;
    long neuralMacs;
    long rawFallbackReads;
    long neuralBusyPs;

    NccCounters() {
        for (TensorRole.DataClass c : TensorRole.DataClass.values()) {
            rawAndBusBytes.put(c, new long[2]);
        }
    }

    /** Counts a tile of a tensor of {@code role}: its raw bytes and the bytes that crossed the DRAM bus for it. */
    void addTraffic(TensorRole role, long rawBytes, long busBytes) {
        long[] a = rawAndBusBytes.get(role.dataClass());
        a[0] += rawBytes;
        a[1] += busBytes;
        long[] r = rawAndBusBytesByRole[role.ordinal()];
        r[0] += rawBytes;
        r[1] += busBytes;
    }

    /** Raw bytes the processor asked for of tensors of {@code role}. */
    public long rawBytes(TensorRole role) {
        return rawAndBusBytesByRole[role.ordinal()][0];
    }

    /** Bytes that crossed the DRAM bus for tensors of {@code role} (compressed blocks, tables, raw copies). */
    public long busBytes(TensorRole role) {
        return rawAndBusBytesByRole[role.ordinal()][1];
    }

    public long rawBytes(TensorRole.DataClass c) {
        return rawAndBusBytes.get(c)[0];
    }

    public long busBytes(TensorRole.DataClass c) {
        return rawAndBusBytes.get(c)[1];
    }

    public long symbolsDecoded() {
        return symbolsDecoded;
    }

    public long symbolsEncoded() {
        return symbolsEncoded;
    }

    public long tableLoads() {
        return tableLoads;
    }

    public long tableBytesLoaded() {
        return tableBytesLoaded;
    }

    public long sramBytesRead() {
        return sramBytesRead;
    }

    public long sramBytesWritten() {
        return sramBytesWritten;
    }

    /** Raw bytes decoded but not asked for: whole compressed blocks decoded for part of their contents. */
    public long overfetchBytes() {
        return Math.max(0, decodedRawBytes - deliveredPayloadBytes);
    }

    public long decoderBusyPs() {
        return decoderBusyPs;
    }

    public long encoderBusyPs() {
        return encoderBusyPs;
    }

    public long tilesDecoded() {
        return tilesDecoded;
    }

    public long tilesEncoded() {
        return tilesEncoded;
    }

    public long tilesBypassed() {
        return tilesBypassed;
    }

    public long commandsExecuted() {
        return commandsExecuted;
    }

    /** Commands executed per opcode, by opcode name, in opcode order. */
    public java.util.Map<String, Long> commandsByOpcode() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (io.nccsim.isa.Opcode o : io.nccsim.isa.Opcode.values()) {
            m.put(o.name().toLowerCase(java.util.Locale.ROOT), opcodeCounts[o.ordinal()]);
        }
        return m;
    }

    public long tableLookups() {
        return tableLookups;
    }

    public long dmaBytesRead() {
        return dmaBytesRead;
    }

    public long dmaBytesWritten() {
        return dmaBytesWritten;
    }

    /** Times the DMA engine stopped because the input buffer was full (back-pressure towards DRAM). */
    public long dmaBufferStalls() {
        return dmaBufferStalls;
    }

    /** The activity the energy model prices, over a run of {@code elapsedPs}. */
    /** Weight reads served from the raw copy because fetching their compressed blocks would move more bytes. */
    public long rawFallbackReads() {
        return rawFallbackReads;
    }

    /** Multiply-accumulates of the neural datapath (learned levels). */
    public long neuralMacs() {
        return neuralMacs;
    }

    public long neuralBusyPs() {
        return neuralBusyPs;
    }

    public NccActivity activity(long elapsedPs) {
        return new NccActivity(commandsExecuted, dmaBytesRead, dmaBytesWritten, symbolsDecoded, symbolsEncoded,
                tableLookups, tableBytesLoaded, sramBytesRead, sramBytesWritten, neuralMacs, elapsedPs);
    }
}
