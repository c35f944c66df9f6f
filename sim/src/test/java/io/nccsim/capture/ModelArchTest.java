package io.nccsim.capture;

import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model configurations: YAML files and Hugging Face config.json files both give the engine's LlamaConfig. */
class ModelArchTest {
    @TempDir
    Path dir;

    /** Phi-3-mini-4k-instruct's published config.json, the fields nccsim reads and a few it ignores. */
    private static final String PHI3_JSON = """
            {"_name_or_path": "Phi-3-mini-4k-instruct", "architectures": ["Phi3ForCausalLM"],
             "attention_dropout": 0.0, "bos_token_id": 1, "eos_token_id": 32000, "hidden_act": "silu",
             "hidden_size": 3072, "initializer_range": 0.02, "intermediate_size": 8192,
             "max_position_embeddings": 4096, "model_type": "phi3", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 32, "original_max_position_embeddings": 4096,
             "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 10000.0, "sliding_window": 2047,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32064}
            """;

    /** SmolLM2-135M's published config.json (model_type llama, tied embeddings, head_dim given). */
    private static final String SMOLLM2_JSON = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "head_dim": 64, "hidden_size": 576,
             "intermediate_size": 1536, "max_position_embeddings": 8192, "model_type": "llama",
             "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3, "rms_norm_eps": 1e-05,
             "rope_scaling": null, "rope_theta": 100000, "tie_word_embeddings": true, "vocab_size": 49152}
            """;

    /** Mistral-7B-v0.1's published config.json. */
    private static final String MISTRAL_JSON = """
            {"architectures": ["MistralForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
             "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
             "sliding_window": 4096, "tie_word_embeddings": false, "vocab_size": 32000}
            """;

    private Path json(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static ModelArch yaml(String name) {
        return ModelArch.load(ProjectFiles.resolve("configs/models/" + name));
    }

    @Test
    void aConfigJsonAndTheYamlOfTheSameModelGiveTheSameLlamaConfig() throws IOException {
        for (String[] pair : new String[][] {{"phi3-mini-4k.yaml", PHI3_JSON}, {"smollm2-135m.yaml", SMOLLM2_JSON},
                {"mistral-7b.yaml", MISTRAL_JSON}}) {
            ModelArch fromYaml = yaml(pair[0]);
            ModelArch fromJson = ModelArch.load(json("config.json", pair[1]));
            assertEquals(fromYaml.llamaConfig(), fromJson.llamaConfig(), pair[0]);
            assertEquals(fromYaml.shape(), fromJson.shape(), pair[0]);
            assertEquals(fromYaml.slidingWindow(), fromJson.slidingWindow(), pair[0]);
        }
        LlamaConfig phi3 = yaml("phi3-mini-4k.yaml").llamaConfig();
        assertTrue(phi3.fusedQkv() && phi3.fusedGateUp() && !phi3.attentionBias(), "model_type phi3 fuses");
        assertEquals(96, phi3.headSize());
    }

    @Test
    void qwen2HasAttentionBiasesAndAMissingKvHeadCountMeansOnePerHead() throws IOException {
        ModelArch q = ModelArch.load(json("config.json", """
                {"model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
                 "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936,
                 "max_position_embeddings": 32768, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
                 "tie_word_embeddings": true}
                """));
        assertTrue(q.llamaConfig().attentionBias());
        assertFalse(q.llamaConfig().fusedQkv());
        assertEquals(0.49e9, q.shape().parameters(), 0.01e9, "Qwen2.5-0.5B: 0.49 B (edge-boards.md), biases aside");
        ModelArch noKv = ModelArch.load(json("config.json", SMOLLM2_JSON.replace("\"num_key_value_heads\": 3, ", "")
                .replace("\"head_dim\": 64, ", "")));
        assertEquals(9, noKv.llamaConfig().kvHeads());
    }

    @Test
    void parameterCountsMatchThePublishedOnes() {
        // Published (edge-boards.md): Phi-3-mini 3.82 B, SmolLM2-135M 135 M, SmolLM2-1.7B 1.71 B, TinyLlama 1.1 B,
        // Llama-3.2-3B 3.2 B, Mistral-7B 7.24 B.
        assertEquals(3.82e9, yaml("phi3-mini-4k.yaml").shape().parameters(), 0.005e9);
        assertEquals(135e6, yaml("smollm2-135m.yaml").shape().parameters(), 1e6);
        assertEquals(1.71e9, yaml("smollm2-1.7b.yaml").shape().parameters(), 0.005e9);
        assertEquals(1.1e9, yaml("tinyllama-1.1b.yaml").shape().parameters(), 0.01e9);
        assertEquals(3.21e9, yaml("llama-3.2-3b.yaml").shape().parameters(), 0.02e9);
        assertEquals(7.24e9, yaml("mistral-7b.yaml").shape().parameters(), 0.005e9);
    }

    @Test
    void everyShippedModelConfigMakesAnEngineConfiguration() throws IOException {
        try (var files = Files.list(ProjectFiles.resolve("configs/models"))) {
            long n = files.filter(p -> p.toString().endsWith(".yaml")).peek(p -> {
                LlamaConfig c = ModelArch.load(p).llamaConfig();
                assertEquals(ModelArch.load(p).shape().headDim(), c.headSize(), p.toString());
            }).count();
            assertEquals(6, n, "phi3-mini-4k, llama-3.2-3b, smollm2-135m, smollm2-1.7b, tinyllama-1.1b, mistral-7b");
        }
    }

    /** {@code f} is refused in one line that names it and mentions every one of {@code parts}. */
    private static void assertRefused(Path f, String... parts) {
        Refusals.assertRefused(f, () -> ModelArch.load(f), parts);
    }

    @Test
    void malformedConfigJsonFilesAreRefusedInOneLineNamingFileAndField() throws IOException {
        assertRefused(json("a.json", PHI3_JSON.replace("\"hidden_size\": 3072, ", "")), "hidden_size",
                "expected a positive integer, found nothing");
        assertRefused(json("b.json", PHI3_JSON.replace("\"rope_theta\": 10000.0", "\"rope_theta\": \"big\"")),
                "rope_theta", "expected a number");
        assertRefused(json("c.json", PHI3_JSON.replace("\"phi3\"", "\"gpt2\"")), "model_type", "'gpt2'",
                "expected one of [llama, mistral, qwen2, phi3]");
        assertRefused(json("d.json", SMOLLM2_JSON.replace("\"head_dim\": 64", "\"head_dim\": 128")), "head_dim",
                "128 is not hidden_size / num_attention_heads = 576 / 9");
        assertRefused(json("e.json", PHI3_JSON.replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 0")),
                "num_hidden_layers", "expected a positive integer, found 0");
        assertRefused(json("f.json", PHI3_JSON.replace("\"num_key_value_heads\": 32", "\"num_key_value_heads\": 5")),
                "n_kv_heads 5");
        assertRefused(json("g.json", "{\"model_type\": \"llama\",\n \"hidden_size\": }"), "line 2",
                "not valid JSON");
        assertRefused(json("h.json", "[1, 2]"), "the top level", "expected a JSON object");
    }

    @Test
    void malformedYamlFilesAreRefusedInOneLineNamingFileLineAndKey() throws IOException {
        String phi3 = Files.readString(ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml"));
        Path noTheta = dir.resolve("a.yaml");
        Files.writeString(noTheta, phi3.replace("rope_theta: 10000\n", ""));
        assertRefused(noTheta, "missing required key 'rope_theta'");
        Path badHead = dir.resolve("b.yaml");
        Files.writeString(badHead, phi3.replace("head_dim: 96", "head_dim: 64"));
        assertRefused(badHead, "head_dim", "64 x 32 heads is not hidden 3072");
        Path typo = dir.resolve("c.yaml");
        Files.writeString(typo, phi3.replace("tied_embeddings:", "tied_embedding:"));
        assertRefused(typo, "unknown key 'tied_embedding'", "tied_embeddings");
        Path bert = dir.resolve("d.yaml");
        Files.writeString(bert, phi3.replace("family: llama", "family: bert"));
        assertRefused(bert, "family", "'bert'");
    }
}
