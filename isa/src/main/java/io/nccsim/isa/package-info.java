/**
 * The NCC instruction set: the commands the processor's driver issues to the Neural Compression Coprocessor.
 *
 * <ul>
 *   <li>{@link io.nccsim.isa.Opcode}: the opcodes, their codes and field layouts (bit positions, ranges, names);</li>
 *   <li>{@link io.nccsim.isa.Instruction}: one validated record per opcode;</li>
 *   <li>{@link io.nccsim.isa.Encoding}: the fixed 128-bit binary encoding;</li>
 *   <li>{@link io.nccsim.isa.Assembler} and {@link io.nccsim.isa.Disassembler}: the text form.</li>
 * </ul>
 *
 * <p>The encoding, its rationale and how to add an opcode are documented in isa/README.md.
 */
package io.nccsim.isa;
