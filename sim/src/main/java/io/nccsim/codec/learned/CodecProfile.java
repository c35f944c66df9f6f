package io.nccsim.codec.learned;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.codec.learned.BlockCodecConfig.Variant;
import io.nccsim.common.BadInputException;
import io.nccsim.config.ConfigNode;
import io.nccsim.config.ConfigReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A family of learned-codec levels as measured: per level, what a value costs in DRAM (bits), what it loses
 * (MSE, SQNR), and what the decoder costs (MACs per value, parameter bytes, table bytes). This is what the NCC
 * model's learned levels are configured from, so every number is a measurement on the evaluation data named in
 * {@code provenance}.
 *
 * <p>Stored as JSON (keys in snake_case like the YAML configs):
 * <pre>{@code
 * {"format": "nccsim-codec-profile", "version": 1, "provenance": "...",
 *  "levels": [{"name": "near-lossless", "variant": "linear", "block_size": 16, "latent_size": 16,
 *              "hidden_width": 0, "step": 0.03, "bits_per_value": 5.9, "bits_per_value_ideal": 5.8,
 *              "table_bytes": 2400, "distortion_mse": 1.2e-7, "sqnr_db": 41.3,
 *              "decoder_macs_per_value": 16.0, "encoder_macs_per_value": 16.0,
 *              "decoder_parameter_bytes": 548}, ...]}
 * }</pre>
 * Reading is strict: Jackson checks the JSON syntax, then the fields are read through {@link ConfigReader}, so a
 * missing, misspelt or out-of-range field is a one-line {@link BadInputException} naming the file, line, column and
 * field.
 *
 * @param provenance what the levels were trained and measured on (model, tensors, block extraction, seed)
 * @param levels     from the least to the most aggressive
 */
public record CodecProfile(String provenance, List<Level> levels) {
    public static final String FORMAT = "nccsim-codec-profile";
    public static final int VERSION = 1;

    public CodecProfile {
        Objects.requireNonNull(provenance, "provenance");
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a codec profile needs at least one level");
        }
    }

    /**
     * One level.
     *
     * @param name                  e.g. {@code near-lossless}
     * @param variant               encoder/decoder architecture
     * @param blockSize             n, values per block
     * @param latentSize            k, latents per block
     * @param hiddenWidth           h for MLP, 0 for LINEAR
     * @param step                  quantizer step in latent units
     * @param bitsPerValue          Huffman-coded bits per value with the tables' bytes spread over the evaluation data
     * @param bitsPerValueIdeal     -log2 P under the learned prior, per value (what an ideal entropy coder spends)
     * @param tableBytes            bytes of the level's Huffman tables
     * @param distortionMse         mean squared error on the evaluation data, in the data's units
     * @param sqnrDb                signal-to-quantization-noise ratio on the evaluation data
     * @param decoderMacsPerValue   decoder multiply-accumulates per decoded value
     * @param encoderMacsPerValue   encoder multiply-accumulates per encoded value
     * @param decoderParameterBytes decoder weights and biases in fp16 plus the fp32 input scale
     */
    public record Level(String name, Variant variant, int blockSize, int latentSize, int hiddenWidth, double step,
                        double bitsPerValue, double bitsPerValueIdeal, long tableBytes, double distortionMse,
                        double sqnrDb, double decoderMacsPerValue, double encoderMacsPerValue,
                        long decoderParameterBytes) {
        public Level {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(variant, "variant");
            for (double v : new double[] {step, bitsPerValue, bitsPerValueIdeal, distortionMse, sqnrDb,
                    decoderMacsPerValue, encoderMacsPerValue}) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("level " + name + ": every number must be finite");
                }
            }
        }

        /** The level of a trained codec as measured by {@code e}. */
        public static Level of(String name, TrainedBlockCodec codec, CodecEvaluation e) {
            BlockCodecConfig c = codec.config();
            return new Level(name, c.variant(), c.blockSize(), c.latentSize(), c.hiddenWidth(), c.step(),
                    e.bitsPerValueWithTables(), e.bitsPerValueIdeal(), codec.tableBytes(), e.mse(), e.sqnrDb(),
                    codec.decoderMacsPerValue(), codec.encoderMacsPerValue(), codec.decoderParameterBytes());
        }
    }

    /** The profile as pretty-printed JSON, fields in a fixed order. */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("provenance", provenance);
        ArrayNode list = root.putArray("levels");
        for (Level l : levels) {
            ObjectNode o = list.addObject();
            o.put("name", l.name());
            o.put("variant", l.variant().name().toLowerCase(java.util.Locale.ROOT));
            o.put("block_size", l.blockSize());
            o.put("latent_size", l.latentSize());
            o.put("hidden_width", l.hiddenWidth());
            o.put("step", l.step());
            o.put("bits_per_value", l.bitsPerValue());
            o.put("bits_per_value_ideal", l.bitsPerValueIdeal());
            o.put("table_bytes", l.tableBytes());
            o.put("distortion_mse", l.distortionMse());
            o.put("sqnr_db", l.sqnrDb());
            o.put("decoder_macs_per_value", l.decoderMacsPerValue());
            o.put("encoder_macs_per_value", l.encoderMacsPerValue());
            o.put("decoder_parameter_bytes", l.decoderParameterBytes());
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a codec profile", e);
        }
    }

    /** Writes the JSON to {@code file} (through a temporary file, so a reader never sees half of it). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a profile file; any problem is a one-line {@link BadInputException} naming the file and field. */
    public static CodecProfile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the codec profile (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    /** Parses profile JSON; {@code source} names it in error messages. */
    public static CodecProfile parse(String json, String source) {
        ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            if (!strict.readTree(json).isObject()) {
                throw new BadInputException(source + ": a codec profile is a JSON object {\"format\": \"" + FORMAT
                        + "\", ...}");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new BadInputException(source + where + ": not valid JSON: " + e.getOriginalMessage().lines()
                    .findFirst().orElse("syntax error"));
        }
        // JSON is YAML, so the config layer's strict reader gives every field its line, column and path.
        ConfigReader root = ConfigReader.root(ConfigNode.parse(json, source));
        String format = root.string("format");
        if (!FORMAT.equals(format)) {
            throw new BadInputException(root.raw("format").location() + ": format: expected '" + FORMAT
                    + "', got '" + format + "'; this file is not a codec profile");
        }
        root.integer("version", VERSION, VERSION);
        String provenance = root.string("provenance");
        List<ConfigReader> items = root.sectionList("levels");
        if (items.isEmpty()) {
            throw new BadInputException(root.raw("levels").location() + ": levels: expected at least one level");
        }
        List<Level> levels = new ArrayList<>();
        for (ConfigReader r : items) {
            String name = r.string("name");
            Variant variant = r.choice("variant", Variant.class);
            int blockSize = r.integer("block_size", 2, 4096);
            levels.add(new Level(name, variant, blockSize,
                    r.integer("latent_size", 1, blockSize),
                    r.integer("hidden_width", 0, 4096),
                    r.number("step", 1e-12, 1e6),
                    r.number("bits_per_value", 0, 64),
                    r.number("bits_per_value_ideal", 0, 64),
                    r.longValue("table_bytes", 0, Long.MAX_VALUE),
                    r.number("distortion_mse", 0, Double.MAX_VALUE),
                    r.number("sqnr_db", -1e4, 1e4),
                    r.number("decoder_macs_per_value", 0, 1e9),
                    r.number("encoder_macs_per_value", 0, 1e9),
                    r.longValue("decoder_parameter_bytes", 0, Long.MAX_VALUE)));
        }
        root.finish();
        return new CodecProfile(provenance, levels);
    }
}
