package io.nccsim.model;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Every model-file format nccsim reads, and the one entry point that picks the loader for a file.
 *
 * <p>A model may also be given as a jar or zip holding exactly one model file (or as {@code archive.jar!/entry}):
 * that is how all-MiniLM-L6-v2 ships on Maven Central.
 */
public final class ModelLoaders {
    // Formats with a magic (or a recognisable header) first; llama2c, known only by name and header sizes, last.
    private static final List<ModelLoader> LOADERS = List.of(new GgufLoader(), new SafetensorsLoader(),
            new OnnxLoader(), new Llama2cLoader());

    /** What a loader is given as the sha256 while the real one is still being computed. */
    private static final String PENDING_SHA = "";

    private ModelLoaders() {
    }

    public static List<ModelLoader> all() {
        return LOADERS;
    }

    /** Loads {@code file} (or {@code archive!/entry}) with the loader its first bytes or name call for. */
    public static ModelFile load(Path file) {
        String s = file.toString();
        int bang = s.indexOf("!/");
        if (bang >= 0) {
            return loadFromArchive(Path.of(s.substring(0, bang)), s.substring(bang + 2));
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such model file");
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".jar") || lower.endsWith(".zip")) {
            return loadFromArchive(file, null);
        }
        ByteBuffer data = mapWhole(file);
        return load(file.toString(), file.getFileName().toString(), data);
    }

    /** Loads the model in {@code data} (the whole file), named {@code name} in messages. */
    public static ModelFile load(String name, String fileName, ByteBuffer data) {
        data.order(ByteOrder.LITTLE_ENDIAN);
        byte[] head = new byte[Math.min(64, data.limit())];
        data.duplicate().get(head);
        for (ModelLoader l : LOADERS) {
            if (l.recognizes(fileName, head)) {
                // The digest (a pass over every byte) runs beside the parse, on another core when there is one.
                CompletableFuture<String> sha = CompletableFuture.supplyAsync(() -> sha256(data));
                ModelFile m = l.load(name, data.duplicate().order(ByteOrder.LITTLE_ENDIAN), PENDING_SHA);
                return new ModelFile(m.name(), m.format(), sha.join(), m.metadata(), m.tensors(), m.graph());
            }
        }
        List<String> formats = new ArrayList<>();
        LOADERS.forEach(l -> formats.add(l.format()));
        if (head.length == 0) {
            throw new BadInputException(name + ": the file is empty; expected a model file, one of " + formats);
        }
        throw new BadInputException(name + ": not a model file nccsim reads (first bytes "
                + HexFormat.of().formatHex(Arrays.copyOf(head, Math.min(8, head.length))) + "); expected one of "
                + formats);
    }

    private static ModelFile loadFromArchive(Path archive, String entryName) {
        if (!Files.isRegularFile(archive)) {
            throw new BadInputException(archive + ": no such archive");
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry entry = null;
            if (entryName != null) {
                entry = zip.getEntry(entryName);
                if (entry == null) {
                    throw new BadInputException(archive + ": has no entry '" + entryName + "'");
                }
            } else {
                List<ZipEntry> models = new ArrayList<>();
                zip.stream().filter(e -> isModelName(e.getName())).forEach(models::add);
                if (models.size() != 1) {
                    throw new BadInputException(archive + ": holds " + models.size() + " model files "
                            + models.stream().map(ZipEntry::getName).toList() + "; name one as " + archive + "!/ENTRY");
                }
                entry = models.get(0);
            }
            if (entry.getSize() > Integer.MAX_VALUE - 16) {
                throw new BadInputException(archive + "!/" + entry.getName() + ": larger than 2 GiB; extract it first");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                // Straight into an array of the entry's size when the archive says it: no growing and joining.
                bytes = entry.getSize() >= 0 ? in.readNBytes((int) entry.getSize()) : in.readAllBytes();
                if (entry.getSize() >= 0 && (bytes.length != entry.getSize() || in.read() != -1)) {
                    throw new BadInputException(archive + "!/" + entry.getName() + ": the entry holds "
                            + (bytes.length != entry.getSize() ? bytes.length : "more") + " bytes, but the archive "
                            + "says " + entry.getSize() + " (corrupt archive)");
                }
            }
            String base = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
            return load(archive + "!/" + entry.getName(), base, ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new BadInputException(archive + ": cannot read the archive: " + e.getMessage(), e);
        }
    }

    private static boolean isModelName(String n) {
        String l = n.toLowerCase(java.util.Locale.ROOT);
        return l.endsWith(".onnx") || l.endsWith(".gguf") || l.endsWith(".safetensors") || l.endsWith(".bin");
    }

    private static ByteBuffer mapWhole(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new BadInputException(file + ": " + size + " bytes; nccsim reads model files up to 2 GiB");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Hex sha256 of the buffer's bytes from 0 to its limit. */
    public static String sha256(ByteBuffer data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // In 1 MiB pieces: many short calls get the digest loop compiled (with the CPU's SHA instructions)
            // early, where one call over a 90 MB model would run most of it in the interpreter.
            ByteBuffer all = data.duplicate().position(0);
            for (long at = 0; at < all.limit(); at += 1 << 20) { // long: no overflow near 2 GiB
                md.update(all.duplicate().position((int) at).limit((int) Math.min(all.limit(), at + (1 << 20))));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
