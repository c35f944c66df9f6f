package io.nccsim.codec.learned;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.codec.learned.BlockCodecConfig.Relaxation;
import io.nccsim.codec.learned.BlockCodecConfig.Schedule;
import io.nccsim.codec.learned.BlockCodecConfig.Variant;
import io.nccsim.common.BadInputException;
import io.nccsim.report.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The trained levels themselves, beside a {@link CodecProfile}: what {@code nccsim codec eval} needs to encode and
 * decode with them. Written by {@code nccsim codec train} as {@code codecs.json} next to {@code profile.json}.
 *
 * <p>JSON, so that a reader can look inside: {@code {"format": "nccsim-learned-codecs", "version": 1, "setup":
 * {...}, "levels": [{"name", the config's fields, "input_scale", "position_weights", "table_low", "table_bins",
 * "training": {...}, "parameters": [...]}]}}. Parameters are the deployed vector (encoder, fp16-rounded decoder,
 * prior) in the network's order, written with Java's shortest exact decimal form, so reading gives the same doubles
 * bit for bit; the Huffman tables are rebuilt from the prior over the stored ranges
 * ({@link TrainedBlockCodec#restore}). A stories260K family is about 100 kB.
 *
 * <p>Reading is strict ({@link JsonFields}): a missing, misspelt or out-of-range field is a one-line
 * {@link BadInputException} naming the file and the field's path.
 *
 * @param setup  what the levels were trained on
 * @param levels from the least to the most aggressive
 */
public record TrainedCodecs(CodecSetup setup, List<Level> levels) {
    public static final String FORMAT = "nccsim-learned-codecs";
    public static final int VERSION = 1;
    /** The file's name beside profile.json. */
    public static final String FILE_NAME = "codecs.json";

    /** One trained level. */
    public record Level(String name, TrainedBlockCodec codec) {
        public Level {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(codec, "codec");
        }
    }

    public TrainedCodecs {
        Objects.requireNonNull(setup, "setup");
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no level");
        }
    }

    /** The levels of a {@link LevelFamily#train} result. */
    public static TrainedCodecs of(CodecSetup setup, LevelFamily.Result result) {
        List<Level> out = new ArrayList<>();
        for (LevelFamily.TrainedLevel l : result.levels()) {
            out.add(new Level(l.name(), l.codec()));
        }
        return new TrainedCodecs(setup, out);
    }

    public String toJson() {
        ObjectNode root = Json.object();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        setup.write(root.putObject("setup"));
        ArrayNode list = root.putArray("levels");
        for (Level l : levels) {
            TrainedBlockCodec c = l.codec();
            BlockCodecConfig k = c.config();
            ObjectNode o = list.addObject();
            o.put("name", l.name());
            o.put("variant", k.variant().name().toLowerCase(Locale.ROOT));
            o.put("block_size", k.blockSize());
            o.put("latent_size", k.latentSize());
            o.put("hidden_width", k.hiddenWidth());
            o.put("step", k.step());
            o.put("lambda_rate", k.lambdaRate());
            o.put("lambda_complexity", k.lambdaComplexity());
            o.put("relaxation", k.relaxation().name().toLowerCase(Locale.ROOT));
            o.put("prior_components", k.priorComponents());
            o.put("max_epochs", k.maxEpochs());
            o.put("batch_size", k.batchSize());
            o.put("learning_rate", k.learningRate());
            o.put("schedule", k.schedule().name().toLowerCase(Locale.ROOT));
            o.put("patience_epochs", k.patienceEpochs());
            o.put("validation_fraction", k.validationFraction());
            o.put("seed", k.seed());
            o.put("input_scale", c.inputScale());
            ArrayNode w = o.putArray("position_weights");
            for (double v : c.positionWeights()) {
                w.add(v);
            }
            ArrayNode low = o.putArray("table_low");
            ArrayNode bins = o.putArray("table_bins");
            for (int j = 0; j < k.latentSize(); j++) {
                low.add(c.tableLow(j));
                bins.add(c.tableBins(j));
            }
            TrainingSummary t = c.training();
            ObjectNode tr = o.putObject("training");
            tr.put("epochs_run", t.epochsRun());
            tr.put("best_epoch", t.bestEpoch());
            tr.put("best_validation_loss", t.bestValidationLoss());
            tr.put("training_blocks", t.trainingBlocks());
            tr.put("validation_blocks", t.validationBlocks());
            ArrayNode p = o.putArray("parameters");
            for (double v : c.parameters()) {
                p.add(v);
            }
        }
        return Json.write(root);
    }

    /** Reads {@code file}; any problem is a one-line {@link BadInputException} naming the file and the field. */
    public static TrainedCodecs read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the trained codecs (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    public static TrainedCodecs parse(String json, String source) {
        JsonFields root = JsonFields.root(json, source);
        String format = root.text("format");
        if (!FORMAT.equals(format)) {
            throw root.bad("format", "expected '" + FORMAT + "', found '" + format + "'; this file is not a "
                    + "trained-codecs file");
        }
        root.integer("version", VERSION, VERSION);
        CodecSetup setup = CodecSetup.read(root.object("setup"));
        List<Level> levels = new ArrayList<>();
        for (JsonFields o : root.objects("levels")) {
            levels.add(readLevel(o, setup));
        }
        if (levels.isEmpty()) {
            throw root.bad("levels", "expected at least one level");
        }
        root.finish();
        return new TrainedCodecs(setup, levels);
    }

    private static Level readLevel(JsonFields o, CodecSetup setup) {
        String name = o.text("name");
        Variant variant = choice(o, "variant", Variant.class);
        int n = o.integer("block_size", 2, 4096);
        if (n != setup.blockSize()) {
            throw o.bad("block_size", "is " + n + " but setup.block_size is " + setup.blockSize());
        }
        int k = o.integer("latent_size", 1, n);
        BlockCodecConfig config;
        try {
            config = new BlockCodecConfig(variant, n, k, o.integer("hidden_width", 0, 4096),
                    o.number("step", 1e-12, 1e6), o.number("lambda_rate", 0, 1e12),
                    o.number("lambda_complexity", 0, 1e12), choice(o, "relaxation", Relaxation.class),
                    o.integer("prior_components", 1, 8), o.integer("max_epochs", 1, 100_000),
                    o.integer("batch_size", 1, 1 << 20), o.number("learning_rate", 1e-300, 1),
                    choice(o, "schedule", Schedule.class), o.integer("patience_epochs", 1, 100_000),
                    o.number("validation_fraction", 0, 0.5),
                    o.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE));
        } catch (BadInputException e) {
            throw o.bad("variant", e.getMessage());
        }
        double scale = o.number("input_scale", Double.MIN_VALUE, Double.MAX_VALUE);
        double[] weights = o.doubles("position_weights", n);
        int[] low = o.ints("table_low", k);
        int[] bins = o.ints("table_bins", k);
        JsonFields t = o.object("training");
        TrainingSummary summary = new TrainingSummary(t.integer("epochs_run", 0, Integer.MAX_VALUE),
                t.integer("best_epoch", -1, Integer.MAX_VALUE),
                t.number("best_validation_loss", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                t.integer("training_blocks", 0, Integer.MAX_VALUE),
                t.integer("validation_blocks", 0, Integer.MAX_VALUE));
        t.finish();
        int expected = new BlockNetwork(config).parameterCount;
        double[] parameters = o.doubles("parameters", expected);
        o.finish();
        try {
            return new Level(name, TrainedBlockCodec.restore(config, parameters, scale, weights, low, bins,
                    summary));
        } catch (IllegalArgumentException e) {
            throw o.bad("table_low", e.getMessage());
        }
    }

    private static <E extends Enum<E>> E choice(JsonFields o, String field, Class<E> type) {
        String v = o.text(field);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw o.bad(field, "expected one of " + String.join(", ", names) + ", found '" + v + "'");
    }

    /** The level called {@code name}, or null. */
    public Level level(String name) {
        for (Level l : levels) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }
}
