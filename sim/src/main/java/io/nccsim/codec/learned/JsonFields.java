package io.nccsim.codec.learned;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.common.BadInputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of one JSON object of a file nccsim wrote: every field required, of the expected type and range,
 * and no field left unread, each failure a one-line {@link BadInputException} naming the file and the field's path
 * ({@code codecs.json: levels[2].step: expected a number from 1e-12 to 1000000, found "x"}).
 *
 * <p>Why not {@link io.nccsim.config.ConfigReader} (which {@link CodecProfile} uses): a trained codec's file holds
 * arrays of thousands of parameters, which the YAML tree would hold as one node each with its position; Jackson's
 * tree is lighter, and a path names the place well enough in a file no person writes by hand.
 */
final class JsonFields {
    private final String source;
    private final String path;
    private final JsonNode node;
    private final Set<String> read = new LinkedHashSet<>();

    private JsonFields(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /** The top-level object of {@code json}; {@code source} names the file in errors. */
    static JsonFields root(String json, String source) {
        ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode tree;
        try {
            tree = strict.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new BadInputException(source + where + ": not valid JSON: " + e.getOriginalMessage().lines()
                    .findFirst().orElse("syntax error"));
        }
        if (tree == null || !tree.isObject()) {
            throw new BadInputException(source + ": expected a JSON object at the top level");
        }
        return new JsonFields(source, "", tree);
    }

    private JsonNode get(String field) {
        read.add(field);
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw bad(field, "is missing");
        }
        return v;
    }

    String text(String field) {
        JsonNode v = get(field);
        if (!v.isTextual()) {
            throw bad(field, "expected a string, found " + v);
        }
        return v.textValue();
    }

    boolean bool(String field) {
        JsonNode v = get(field);
        if (!v.isBoolean()) {
            throw bad(field, "expected true or false, found " + v);
        }
        return v.booleanValue();
    }

    long longValue(String field, long min, long max) {
        JsonNode v = get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw bad(field, "expected an integer from " + min + " to " + max + ", found " + v);
        }
        return v.longValue();
    }

    int integer(String field, int min, int max) {
        return (int) longValue(field, min, max);
    }

    double number(String field, double min, double max) {
        JsonNode v = get(field);
        if (!v.isNumber() || !(v.doubleValue() >= min) || !(v.doubleValue() <= max)) {
            throw bad(field, "expected a number from " + min + " to " + max + ", found " + v);
        }
        return v.doubleValue();
    }

    double[] doubles(String field, int length) {
        JsonNode v = array(field, length);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                throw bad(field + "[" + i + "]", "expected a finite number, found " + e);
            }
            out[i] = e.doubleValue();
        }
        return out;
    }

    int[] ints(String field, int length) {
        JsonNode v = array(field, length);
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw bad(field + "[" + i + "]", "expected an integer, found " + e);
            }
            out[i] = e.intValue();
        }
        return out;
    }

    List<String> texts(String field) {
        JsonNode v = array(field, -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw bad(field + "[" + i + "]", "expected a string, found " + v.get(i));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    JsonFields object(String field) {
        JsonNode v = get(field);
        if (!v.isObject()) {
            throw bad(field, "expected an object, found " + shortly(v));
        }
        return new JsonFields(source, at(field), v);
    }

    List<JsonFields> objects(String field) {
        JsonNode v = array(field, -1);
        List<JsonFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                throw bad(field + "[" + i + "]", "expected an object, found " + shortly(v.get(i)));
            }
            out.add(new JsonFields(source, at(field) + "[" + i + "]", v.get(i)));
        }
        return out;
    }

    private JsonNode array(String field, int length) {
        JsonNode v = get(field);
        if (!v.isArray()) {
            throw bad(field, "expected an array, found " + shortly(v));
        }
        if (length >= 0 && v.size() != length) {
            throw bad(field, "expected " + length + " values, found " + v.size());
        }
        return v;
    }

    /** Fails on a field that was not read: a misspelt or foreign field is an error, not silently ignored. */
    void finish() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!read.contains(f)) {
                throw bad(f, "is not a known field; expected only " + String.join(", ", read));
            }
        }
    }

    /** An error about {@code field} of this object. */
    BadInputException bad(String field, String what) {
        return new BadInputException(source + ": " + at(field) + ": " + what);
    }

    private String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String shortly(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
