package io.nccsim.ncc;

/**
 * What the NCC's blocks did in one run, counted by the cycle-level model and priced by the NCC energy model
 * ({@code io.nccsim.energy}). One field per kind of event, so that energy parameters can be swept without
 * simulating again.
 *
 * @param commandsExecuted   commands the front end decoded and executed (every opcode)
 * @param dmaBytesRead       bytes the DMA engine read from DRAM (compressed data, tables, raw copies)
 * @param dmaBytesWritten    bytes the DMA engine wrote to DRAM
 * @param symbolsDecoded     symbols the decoder lanes produced
 * @param symbolsEncoded     symbols the encoder lanes consumed
 * @param tableLookups       decoder table lookups (one per lane per active cycle: a lookup resolves up to
 *                           {@code symbols_per_cycle} symbols)
 * @param tableBytesLoaded   bytes written into table SRAM by table loads
 * @param dataSramBytesRead  bytes read from the data buffers (input and output)
 * @param dataSramBytesWritten bytes written into the data buffers (input and output)
 * @param neuralMacs         multiply-accumulates of the neural-codec datapath
 * @param elapsedPs          simulated time the NCC was powered (the whole run), for leakage
 */
public record NccActivity(long commandsExecuted, long dmaBytesRead, long dmaBytesWritten, long symbolsDecoded,
                          long symbolsEncoded, long tableLookups, long tableBytesLoaded, long dataSramBytesRead,
                          long dataSramBytesWritten, long neuralMacs, long elapsedPs) {
}
