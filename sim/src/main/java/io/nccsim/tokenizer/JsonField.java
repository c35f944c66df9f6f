package io.nccsim.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value inside a JSON file (a tokenizer.json, a model's config.json) together with the path that leads to it
 * ({@code model.vocab}, {@code pre_tokenizer.pretokenizers[1].pattern}), so that every complaint about the file names
 * the file and the place, says what was expected and what was found.
 */
public final class JsonField {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String file;
    private final String path;
    private final JsonNode node;

    JsonField(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    /**
     * The top-level object of the JSON text {@code json}; {@code name} names the file in messages, and {@code what}
     * says what the object should be ("a tokenizer.json object").
     */
    public static JsonField parse(String name, byte[] json, String what) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            String msg = e.getOriginalMessage().lines().findFirst().orElse("malformed");
            throw new BadInputException(name + ": " + where + "not valid JSON (" + msg + ")", e);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read the file: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(name + ": the top level: expected " + what + ", found "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        return new JsonField(name, "", root);
    }

    String path() {
        return path;
    }

    /** The member {@code key} of this object (missing when absent; a non-object is complained about). */
    public JsonField get(String key) {
        if (!node.isObject()) {
            throw error("an object with '" + key + "'");
        }
        return new JsonField(file, path.isEmpty() ? key : path + "." + key, node.get(key));
    }

    /** Absent, or JSON null: how tokenizer.json says "none". */
    public boolean isNull() {
        return node.isMissingNode() || node.isNull();
    }

    boolean isText() {
        return node.isTextual();
    }

    boolean isObject() {
        return node.isObject();
    }

    boolean has(String key) {
        return node.isObject() && node.has(key);
    }

    public String text() {
        if (!node.isTextual()) {
            throw error("a string");
        }
        return node.textValue();
    }

    /** The string, or {@code fallback} when absent or null. */
    public String text(String fallback) {
        return isNull() ? fallback : text();
    }

    public int integer() {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error("an integer");
        }
        return node.intValue();
    }

    /** A non-negative integer: ids, lengths. */
    int count() {
        int v = integer();
        if (v < 0) {
            throw error("a non-negative integer");
        }
        return v;
    }

    int count(int fallback) {
        return isNull() ? fallback : count();
    }

    public boolean bool(boolean fallback) {
        if (isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error("true or false");
        }
        return node.booleanValue();
    }

    /** A number, integral or not. */
    public double number() {
        if (!node.isNumber()) {
            throw error("a number");
        }
        return node.doubleValue();
    }

    /** The elements of an array. */
    List<JsonField> items() {
        if (!node.isArray()) {
            throw error("an array");
        }
        List<JsonField> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonField(file, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** The members of an object, in file order. */
    Map<String, JsonField> members() {
        if (!node.isObject()) {
            throw error("an object");
        }
        Map<String, JsonField> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), new JsonField(file, path + "." + e.getKey(), e.getValue()));
        }
        return out;
    }

    /** "file: path: expected X, found Y". */
    public BadInputException error(String expected) {
        return new BadInputException(file + ": " + where() + ": expected " + expected + ", found " + describe());
    }

    /** "file: path: message", for complaints that are not about the JSON type. */
    public BadInputException problem(String message) {
        return new BadInputException(file + ": " + where() + ": " + message);
    }

    private String where() {
        return path.isEmpty() ? "the top level" : path;
    }

    private String describe() {
        if (node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            String s = node.textValue();
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array of " + node.size();
        }
        return node.toString();
    }
}
