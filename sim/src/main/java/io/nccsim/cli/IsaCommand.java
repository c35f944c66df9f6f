package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.isa.Assembler;
import io.nccsim.isa.Disassembler;
import io.nccsim.isa.Encoding;
import io.nccsim.isa.Instruction;
import io.nccsim.isa.IsaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nccsim isa asm|disasm}: the NCC command streams of isa/README.md as files, text to binary and back.
 *
 * <p>Both check everything before they write: a missing input, a bad line or bad bytes is one line on stderr naming
 * the file and the line (asm) or byte offset (disasm), exit code 2, and no output file is created or touched. An
 * existing output file is replaced only with {@code --force}, through a temporary file in the same folder.
 */
@Command(name = "isa", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Assemble and disassemble NCC command streams (the instruction set of isa/README.md).",
        subcommands = {IsaCommand.Asm.class, IsaCommand.Disasm.class})
public final class IsaCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    @Command(name = "asm", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Assemble a text program (one instruction per line, '#' comments) into the binary command "
                    + "stream: 16 bytes per instruction.")
    static final class Asm implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.s", description = "assembly text, UTF-8")
        Path source;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.bin", description = "binary to write")
        Path output;

        @Option(names = "--force", description = "replace an existing output file")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            InputFiles.require(source, "", "no such assembly file");
            checkOutput(output, force);
            List<Instruction> program;
            try {
                program = Assembler.assemble(readText(source));
            } catch (IsaException e) {
                throw new BadInputException(source + ": " + e.getMessage(), e);
            }
            byte[] bytes = Encoding.encodeProgram(program);
            InputFiles.writeAtomically(output, bytes);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d instruction%s, %d bytes)%n", output,
                    program.size(), program.size() == 1 ? "" : "s", bytes.length);
            return CommandLine.ExitCode.OK;
        }

        private static String readText(Path file) {
            try {
                // Strict decoding: a binary given by mistake is refused whole, not assembled from mangled text.
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                throw new BadInputException(file + ": not UTF-8 text; expected an assembly program (is it a binary? "
                        + "use 'nccsim isa disasm')", e);
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "disasm", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Disassemble a binary command stream into the canonical text, one instruction per line; "
                    + "to standard output unless -o is given.")
    static final class Disasm implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.bin", description = "binary command stream, 16 bytes per instruction")
        Path binary;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE.s", description = "text to write (default: stdout)")
        Path output;

        @Option(names = "--force", description = "replace an existing output file")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            InputFiles.require(binary, "", "no such binary file");
            if (output != null) {
                checkOutput(output, force);
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(binary);
            } catch (IOException e) {
                throw new BadInputException(binary + ": cannot read: " + e.getMessage(), e);
            }
            List<Instruction> program;
            try {
                program = Encoding.decodeProgram(bytes);
            } catch (IsaException e) {
                throw new BadInputException(binary + ": " + e.getMessage(), e);
            }
            String text = Disassembler.disassemble(program);
            if (output == null) {
                spec.commandLine().getOut().print(text);
                return CommandLine.ExitCode.OK;
            }
            InputFiles.writeAtomically(output, text);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d instruction%s)%n", output, program.size(),
                    program.size() == 1 ? "" : "s");
            return CommandLine.ExitCode.OK;
        }
    }

    /** An output must be a file path, and an existing file is kept unless {@code --force}. */
    private static void checkOutput(Path output, boolean force) {
        if (Files.isDirectory(output)) {
            throw new BadInputException("-o " + output + ": is a directory; expected a file path");
        }
        InputFiles.checkOutputFile(output, force);
    }
}
