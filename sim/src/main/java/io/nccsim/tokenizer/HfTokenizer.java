package io.nccsim.tokenizer;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Hugging Face {@code tokenizer.json}: the pipeline that turns text into token ids, read from the file and run as
 * the {@code tokenizers} library runs it:
 * <ol>
 *   <li>added tokens ({@code [CLS]}, {@code <|eot_id|>}) are cut out of the raw text whole;</li>
 *   <li>the normalizer rewrites the rest (BERT: clean up, lowercase, strip accents; Qwen2: NFC);</li>
 *   <li>the pre-tokenizer splits it into words (BERT: whitespace and punctuation; byte-level: a regular expression,
 *       then each byte as a visible character);</li>
 *   <li>the model cuts each word into vocabulary tokens: WordPiece (BERT, MiniLM) or BPE (GPT-2, Llama-3, Qwen2,
 *       SmolLM);</li>
 *   <li>truncation, if the file asks for it, keeps {@code max_length} tokens with the special tokens;</li>
 *   <li>the post-processor adds the special tokens ([CLS] ... [SEP]).</li>
 * </ol>
 * Padding, which the file may also describe, is left to the caller: it concerns batches, not one text.
 *
 * <p>Anything in the file nccsim cannot run faithfully (another model type, a pre-tokenizer it does not know, BPE
 * dropout) is refused when the file is read, with the place in the file, rather than approximated.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class HfTokenizer {

    private final String name;
    private final String modelType;
    private final AddedVocabulary addedVocabulary;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final SubwordModel model;
    private final int truncateTo;
    private final boolean truncateLeft;
    private final SpecialTokenTemplate template;
    private final TokenDecoder decoder;
    private final Map<String, Integer> ids;
    private final String[] tokens;
    private final Set<Integer> specialIds;

    private HfTokenizer(String name, JsonField root) {
        this.name = name;
        JsonField modelField = root.get("model");
        this.model = SubwordModel.read(modelField);
        this.modelType = modelField.get("type").text(model instanceof BpeModel ? "BPE" : "WordPiece");
        this.normalizer = TextNormalizer.read(root.get("normalizer"));
        this.preTokenizer = PreTokenizer.read(root.get("pre_tokenizer"));
        this.template = SpecialTokenTemplate.read(root.get("post_processor"));
        this.decoder = TokenDecoder.read(root.get("decoder"));
        JsonField truncation = root.get("truncation");
        if (truncation.isNull()) {
            truncateTo = Integer.MAX_VALUE;
            truncateLeft = false;
        } else {
            truncateTo = truncation.get("max_length").count();
            String direction = truncation.get("direction").text("Right");
            if (!direction.equals("Right") && !direction.equals("Left")) {
                throw truncation.get("direction").error("Right or Left");
            }
            truncateLeft = direction.equals("Left");
            if (truncateTo < template.addedTokens()) {
                throw truncation.get("max_length").problem(truncateTo + " is fewer than the "
                        + template.addedTokens() + " special tokens the post-processor adds");
            }
        }

        Map<String, Integer> all = new HashMap<>(model.vocab());
        List<AddedToken> added = new ArrayList<>();
        Set<Integer> special = new HashSet<>();
        JsonField addedField = root.get("added_tokens");
        if (!addedField.isNull()) {
            for (JsonField f : addedField.items()) {
                AddedToken t = AddedToken.read(f);
                Integer known = all.get(t.content());
                if (known != null && known != t.id()) {
                    throw f.problem("added token '" + t.content() + "' has id " + t.id() + " but the vocabulary "
                            + "gives it id " + known + "; expected the same id");
                }
                all.put(t.content(), t.id());
                added.add(t);
                if (t.special()) {
                    special.add(t.id());
                }
            }
        }
        this.addedVocabulary = new AddedVocabulary(added);
        int size = all.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.tokens = new String[size];
        all.forEach((token, id) -> {
            if (tokens[id] != null && !tokens[id].equals(token)) {
                throw addedField.problem("id " + id + " is given to both '" + tokens[id] + "' and '" + token
                        + "'; expected one token per id");
            }
            tokens[id] = token;
        });
        for (SpecialTokenTemplate.Part p : template.parts()) {
            for (int i = 0; !p.isSequence() && i < p.ids().length; i++) {
                if (p.ids()[i] >= size || !p.tokens()[i].equals(tokens[p.ids()[i]])) {
                    throw root.get("post_processor").problem("special token '" + p.tokens()[i] + "' has id "
                            + p.ids()[i] + ", which the vocabulary gives to "
                            + (p.ids()[i] < size && tokens[p.ids()[i]] != null ? "'" + tokens[p.ids()[i]] + "'"
                            : "no token") + "; expected the same token");
                }
                special.add(p.ids()[i]);
            }
        }
        this.ids = Map.copyOf(all);
        this.specialIds = Set.copyOf(special);
    }

    /**
     * Reads a tokenizer.json file, or one inside a jar or zip given as {@code archive.jar!/entry} (the way
     * {@link io.nccsim.model.ModelLoaders} names models inside archives).
     */
    public static HfTokenizer read(Path file) {
        String s = file.toString();
        int bang = s.indexOf("!/");
        try {
            if (bang < 0) {
                if (!Files.isRegularFile(file)) {
                    throw new BadInputException(file + ": no such tokenizer file");
                }
                return parse(s, Files.readAllBytes(file));
            }
            Path archive = Path.of(s.substring(0, bang));
            String entry = s.substring(bang + 2);
            if (!Files.isRegularFile(archive)) {
                throw new BadInputException(archive + ": no such archive (for tokenizer " + s + ")");
            }
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                ZipEntry e = zip.getEntry(entry);
                if (e == null) {
                    throw new BadInputException(archive + ": no entry '" + entry + "'; expected a tokenizer.json "
                            + "there");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    return parse(s, in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new BadInputException(s + ": cannot read the tokenizer: " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a tokenizer.json; {@code name} names the file in messages. */
    public static HfTokenizer parse(String name, byte[] json) {
        return new HfTokenizer(name, JsonField.parse(name, json, "a tokenizer.json object"));
    }

    /** The file this tokenizer came from, as named when read. */
    public String name() {
        return name;
    }

    /** The model type: {@code WordPiece} or {@code BPE}. */
    public String modelType() {
        return modelType;
    }

    /** One more than the largest token id: the size an embedding table for this vocabulary needs. */
    public int vocabSize() {
        return tokens.length;
    }

    /** The id of {@code token} (a vocabulary string, in the model's own spelling), or -1 when it has none. */
    public int idOf(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The vocabulary string of {@code id}. */
    public String tokenOf(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + name);
        }
        return tokens[id];
    }

    /** Whether {@code id} is a control token (an added special token or one the post-processor adds). */
    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    /** {@code text} as tokens, with the special tokens the file's post-processor adds. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    /** {@code text} as tokens; the post-processor's special tokens only when {@code addSpecialTokens}. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        List<Integer> content = new ArrayList<>();
        for (AddedVocabulary.Segment raw : addedVocabulary.splitRaw(text)) {
            if (raw.isAdded()) {
                content.add(raw.id());
                continue;
            }
            for (AddedVocabulary.Segment s : addedVocabulary.splitNormalized(normalizer.normalize(raw.text()))) {
                if (s.isAdded()) {
                    content.add(s.id());
                    continue;
                }
                List<String> words = new ArrayList<>();
                preTokenizer.split(s.text(), words);
                for (String w : words) {
                    model.tokenize(w, content::add);
                }
            }
        }
        SpecialTokenTemplate t = addSpecialTokens ? template : SpecialTokenTemplate.NONE;
        int keep = truncateTo == Integer.MAX_VALUE ? content.size() : truncateTo - t.addedTokens();
        if (content.size() > keep) {
            content = truncateLeft ? content.subList(content.size() - keep, content.size())
                    : content.subList(0, keep);
        }
        List<Integer> outIds = new ArrayList<>();
        List<Integer> outTypes = new ArrayList<>();
        for (SpecialTokenTemplate.Part p : t.parts()) {
            if (p.isSequence()) {
                for (int id : content) {
                    outIds.add(id);
                    outTypes.add(p.typeId());
                }
            } else {
                for (int id : p.ids()) {
                    outIds.add(id);
                    outTypes.add(p.typeId());
                }
            }
        }
        int[] idArray = outIds.stream().mapToInt(Integer::intValue).toArray();
        List<String> strings = new ArrayList<>(idArray.length);
        for (int id : idArray) {
            strings.add(tokenOf(id));
        }
        return new Encoding(idArray, outTypes.stream().mapToInt(Integer::intValue).toArray(), strings);
    }

    /** The text of {@code tokenIds}, special tokens left out, as the file's decoder writes it. */
    public String decode(int[] tokenIds) {
        List<String> strings = new ArrayList<>(tokenIds.length);
        for (int id : tokenIds) {
            if (!isSpecial(id)) {
                strings.add(tokenOf(id));
            }
        }
        return decoder.decode(strings);
    }

    @Override
    public String toString() {
        return name + " (" + modelType + ", " + tokens.length + " tokens)";
    }
}
