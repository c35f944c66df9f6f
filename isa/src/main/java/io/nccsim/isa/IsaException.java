package io.nccsim.isa;

/**
 * An invalid instruction: a field out of range, a misaligned DRAM address, undecodable bytes or unassemblable text.
 *
 * <p>The message is one line that names the opcode and the field, and where the instruction came from (the byte
 * offset in an encoded program, the line of an assembly text) when there is one, e.g.
 * {@code byte offset 32: DECOMPRESS: field streams=0 out of range 1..64}.
 */
public class IsaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IsaException(String message) {
        super(message);
    }

    public IsaException(String message, Throwable cause) {
        super(message, cause);
    }
}
