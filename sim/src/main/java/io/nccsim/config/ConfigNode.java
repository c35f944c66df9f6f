package io.nccsim.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One node of a config tree as the user wrote it: a map, a list or a scalar, with the place it was written.
 *
 * <p>Scalars are kept as the exact text of the YAML scalar rather than as numbers or booleans, because every value
 * in a config is interpreted later by a {@link ConfigReader} that knows what the key means (a size, a frequency, an
 * enum choice...). Interpreting early would lose what the user typed ({@code 1_000}, {@code 08}, {@code yes}) and
 * make error messages quote something other than the file. A YAML null ({@code ~}, {@code null} or nothing after
 * the colon) is a scalar whose text is {@code null}.
 *
 * <p>Nodes are immutable, so trees can be shared between the file, its includes and {@code --set} overrides without
 * one stage disturbing another; {@link ConfigLoader} builds new trees instead of editing.
 */
public final class ConfigNode {

    /** What a node holds; there is no separate null kind (see {@link #isNull()}). */
    public enum Kind { MAP, LIST, SCALAR }

    private final Kind kind;
    private final SourceLocation location;
    private final String text;
    private final Map<String, ConfigNode> children;
    private final Map<String, SourceLocation> keyLocations;
    private final List<ConfigNode> items;

    private ConfigNode(Kind kind, SourceLocation location, String text, Map<String, ConfigNode> children,
                       Map<String, SourceLocation> keyLocations, List<ConfigNode> items) {
        this.kind = kind;
        this.location = Objects.requireNonNull(location, "location");
        this.text = text;
        this.children = children;
        this.keyLocations = keyLocations;
        this.items = items;
    }

    /** A scalar; {@code text} is the scalar as written, or {@code null} for a YAML null. */
    public static ConfigNode scalar(String text, SourceLocation location) {
        return new ConfigNode(Kind.SCALAR, location, text, Map.of(), Map.of(), List.of());
    }

    /** A list of the given items, in order. */
    public static ConfigNode list(List<ConfigNode> items, SourceLocation location) {
        return new ConfigNode(Kind.LIST, location, null, Map.of(), Map.of(), List.copyOf(items));
    }

    /**
     * A map, keeping the iteration order of {@code children}. A key missing from {@code keyLocations} is taken to be
     * written where its value is, which is right for values that were not written under a key of their own.
     */
    public static ConfigNode map(Map<String, ConfigNode> children, Map<String, SourceLocation> keyLocations,
                                 SourceLocation location) {
        Map<String, ConfigNode> kids = new LinkedHashMap<>();
        Map<String, SourceLocation> keys = new LinkedHashMap<>();
        children.forEach((k, v) -> {
            kids.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k));
            SourceLocation at = keyLocations.get(k);
            keys.put(k, at != null ? at : v.location());
        });
        return new ConfigNode(Kind.MAP, location, null, Collections.unmodifiableMap(kids),
                Collections.unmodifiableMap(keys), List.of());
    }

    /**
     * Parses one YAML document into a tree. An empty document gives a null scalar at 1:1.
     *
     * @param yamlText the document
     * @param source   how to name the text in locations and errors (normally the file path as the user gave it)
     * @throws io.nccsim.common.BadInputException on YAML syntax errors, duplicate keys, aliases or a second document
     */
    public static ConfigNode parse(String yamlText, String source) {
        return YamlTreeParser.parse(yamlText, source);
    }

    public Kind kind() {
        return kind;
    }

    /** Where the node itself starts (for a map, normally its first key; for a scalar, the scalar). */
    public SourceLocation location() {
        return location;
    }

    public boolean isMap() {
        return kind == Kind.MAP;
    }

    public boolean isList() {
        return kind == Kind.LIST;
    }

    public boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    /** A YAML null: written as {@code ~}, {@code null}, or nothing after a key's colon. */
    public boolean isNull() {
        return kind == Kind.SCALAR && text == null;
    }

    /** The scalar's text exactly as written, or {@code null} for a YAML null. */
    public String scalar() {
        require(Kind.SCALAR);
        return text;
    }

    /** The child under {@code key}, or {@code null} if this map has no such key. */
    public ConfigNode get(String key) {
        require(Kind.MAP);
        return children.get(key);
    }

    /** The keys of this map, in the order written (included keys first, see {@link ConfigLoader}). */
    public Set<String> keys() {
        require(Kind.MAP);
        return children.keySet();
    }

    /** The entries of this map, in order. */
    public Set<Map.Entry<String, ConfigNode>> entries() {
        require(Kind.MAP);
        return children.entrySet();
    }

    /** This map as an unmodifiable ordered map. */
    public Map<String, ConfigNode> asMap() {
        require(Kind.MAP);
        return children;
    }

    /** The items of this list, in order. */
    public List<ConfigNode> items() {
        require(Kind.LIST);
        return items;
    }

    /**
     * Where the key itself was written, or {@code null} if there is no such key. Unknown-key errors point here
     * rather than at the value, because the key is what the user has to fix.
     */
    public SourceLocation keyLocation(String key) {
        require(Kind.MAP);
        return keyLocations.get(key);
    }

    /** "a section", "a list", "a value" or "nothing": how error messages name what the user actually wrote. */
    public String describe() {
        return switch (kind) {
            case MAP -> "a section";
            case LIST -> "a list";
            case SCALAR -> text == null ? "nothing" : "a value";
        };
    }

    /**
     * The tree as JSON, for reports that show the resolved config: maps become objects (in order), lists arrays,
     * scalars strings exactly as written, and YAML nulls JSON nulls. Strings rather than numbers keep the report
     * faithful to what the user wrote, units included.
     */
    public JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (kind) {
            case SCALAR -> text == null ? f.nullNode() : f.textNode(text);
            case LIST -> {
                ArrayNode a = f.arrayNode();
                items.forEach(i -> a.add(i.toJson()));
                yield a;
            }
            case MAP -> {
                ObjectNode o = f.objectNode();
                children.forEach((k, v) -> o.set(k, v.toJson()));
                yield o;
            }
        };
    }

    /** The JSON rendering, for debugging and test failure messages. */
    @Override
    public String toString() {
        return toJson().toString();
    }

    private void require(Kind wanted) {
        if (kind != wanted) {
            throw new IllegalStateException("config node at " + location + " is a " + kind + ", not a " + wanted);
        }
    }
}
