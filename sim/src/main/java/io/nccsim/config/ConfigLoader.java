package io.nccsim.config;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads config files, resolves their includes and applies command-line overrides, producing one merged tree.
 *
 * <p><b>Includes.</b> In any map, the key {@code use: P} means "start from the map in file P, then apply this map's
 * other keys over it". This lets a platform config say {@code ncc: {use: ncc/huffman_4lanes, clock: 1.2 GHz}} instead
 * of copying a whole coprocessor description to change one value. P is relative to the directory of the file that
 * contains the {@code use:} (so a config directory can be moved as a whole) and gets a {@code .yaml} suffix unless it
 * ends in {@code .yaml} or {@code .yml}. Included files may themselves use others; a cycle is an error.
 *
 * <p><b>Merging.</b> Maps merge key by key, recursively, so an override needs to name only what it changes; scalars
 * and lists are replaced as a whole, because merging lists item by item is rarely what a user means. An empty value
 * ({@code decoder:} with nothing after it) over an included section keeps that section, as if the override were an
 * empty map. Keys from the included file come first, in its order, followed by new keys in the order written. Every
 * node keeps the location where it was written, so errors point at the included file for inherited values and at the
 * outer file for overrides. The {@code use} keys themselves are removed from the result.
 *
 * <p>All trees are immutable: loading and overriding build new trees and never change their inputs.
 */
public final class ConfigLoader {
    /** The include key. */
    public static final String USE = "use";

    private ConfigLoader() {
    }

    /**
     * Loads a config file (whose top level must be a map) with all its includes resolved.
     *
     * @param file the path as the user gave it; it is shown as given in locations and errors
     */
    public static ConfigNode load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(Files.isDirectory(file)
                    ? "'" + file + "' is a directory; expected a config file"
                    : "no such config file '" + file + "'");
        }
        List<Path> chain = new ArrayList<>();
        List<String> names = new ArrayList<>();
        chain.add(realPath(file));
        names.add(file.toString());
        return loadFile(file, chain, names, "");
    }

    private static ConfigNode loadFile(Path file, List<Path> chain, List<String> names, String path) {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text; save the config file as UTF-8", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the config file: " + e.getMessage(), e);
        }
        ConfigNode root = ConfigNode.parse(text, file.toString());
        if (root.isNull()) {
            throw new BadInputException(root.location() + ": the config file is empty; expected key: value lines");
        }
        if (!root.isMap()) {
            throw new BadInputException(root.location() + ": expected key: value lines at the top level of a config"
                    + " file, got " + root.describe());
        }
        return resolve(root, file, chain, names, path);
    }

    private static ConfigNode resolve(ConfigNode node, Path file, List<Path> chain, List<String> names, String path) {
        switch (node.kind()) {
            case LIST: {
                List<ConfigNode> items = new ArrayList<>();
                for (ConfigNode item : node.items()) {
                    items.add(resolve(item, file, chain, names, path + "[" + items.size() + "]"));
                }
                return ConfigNode.list(items, node.location());
            }
            case MAP: {
                Map<String, ConfigNode> own = new LinkedHashMap<>();
                Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
                for (Map.Entry<String, ConfigNode> e : node.entries()) {
                    String key = e.getKey();
                    if (!key.equals(USE)) {
                        own.put(key, resolve(e.getValue(), file, chain, names, join(path, key)));
                        keyLocations.put(key, node.keyLocation(key));
                    }
                }
                ConfigNode over = ConfigNode.map(own, keyLocations, node.location());
                ConfigNode use = node.get(USE);
                return use == null ? over : merge(include(use, file, chain, names, path), over);
            }
            default:
                return node;
        }
    }

    private static ConfigNode include(ConfigNode use, Path file, List<Path> chain, List<String> names, String path) {
        String where = use.location() + ": " + join(path, USE) + ": ";
        if (!use.isScalar() || use.isNull() || use.scalar().isBlank()) {
            throw new BadInputException(where + "expected the name of a config file to start from, e.g."
                    + " 'use: ncc/huffman_4lanes', got " + use.describe());
        }
        String name = use.scalar().strip();
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            name += ".yaml";
        }
        Path dir = file.getParent();
        Path target;
        try {
            target = (dir == null ? Path.of(name) : dir.resolve(name)).normalize();
        } catch (InvalidPathException e) {
            throw new BadInputException(where + "'" + use.scalar() + "' is not a valid file name", e);
        }
        if (!Files.isRegularFile(target)) {
            String dirText = dir == null ? "./" : dir.toString().endsWith("/") ? dir.toString() : dir + "/";
            throw new BadInputException(where + "no such file '" + target + "' (looked for it relative to "
                    + dirText + ")");
        }
        Path real = realPath(target);
        if (chain.contains(real)) {
            List<String> cycle = new ArrayList<>(names.subList(chain.indexOf(real), names.size()));
            cycle.add(target.toString());
            throw new BadInputException(where + "include cycle: " + String.join(" -> ", cycle)
                    + "; remove one of these 'use:' lines");
        }
        chain.add(real);
        names.add(target.toString());
        try {
            return loadFile(target, chain, names, path);
        } finally {
            chain.remove(chain.size() - 1);
            names.remove(names.size() - 1);
        }
    }

    /** {@code over} applied on top of {@code base}; see the class comment for the rules. */
    private static ConfigNode merge(ConfigNode base, ConfigNode over) {
        Map<String, ConfigNode> children = new LinkedHashMap<>(base.asMap());
        Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
        for (String key : base.keys()) {
            keyLocations.put(key, base.keyLocation(key));
        }
        for (Map.Entry<String, ConfigNode> e : over.entries()) {
            String key = e.getKey();
            ConfigNode value = e.getValue();
            ConfigNode inherited = children.get(key);
            if (inherited != null && inherited.isMap()) {
                if (value.isMap()) {
                    value = merge(inherited, value);
                } else if (value.isNull()) {
                    value = inherited;
                }
            }
            children.put(key, value);
            keyLocations.put(key, over.keyLocation(key));
        }
        return ConfigNode.map(children, keyLocations, over.location());
    }

    /**
     * Applies command-line overrides, in order, each {@code dotted.key.path=value}. The value text is kept as written
     * (it is interpreted by the reader like any other scalar). Missing sections on the path are created, so a
     * misspelt path surfaces as an unknown key at {@code --set ...} when the config is read; a numeric path segment
     * indexes into a list ({@code cores.0.clock=1 GHz}).
     */
    public static ConfigNode applySets(ConfigNode root, List<String> sets) {
        ConfigNode result = root;
        for (String entry : sets) {
            result = applySet(result, entry);
        }
        return result;
    }

    private static ConfigNode applySet(ConfigNode root, String entry) {
        int eq = entry.indexOf('=');
        String keyPath = eq < 0 ? "" : entry.substring(0, eq).strip();
        String[] parts = keyPath.split("\\.", -1);
        if (keyPath.isEmpty() || Arrays.stream(parts).anyMatch(p -> p.strip().isEmpty())) {
            throw new BadInputException("--set '" + entry + "': expected key.path=value");
        }
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        if (!root.isMap()) {
            throw new BadInputException("--set '" + entry + "': the config has no sections to set keys in");
        }
        SourceLocation at = new SourceLocation("--set " + entry, 1, 1);
        return setIn(root, parts, 0, entry.substring(eq + 1), at, entry);
    }

    private static ConfigNode setIn(ConfigNode container, String[] parts, int i, String value, SourceLocation at,
                                    String entry) {
        String segment = parts[i];
        String done = String.join(".", Arrays.asList(parts).subList(0, i + 1));
        ConfigNode existing;
        int index = -1;
        if (container.isList()) {
            index = listIndex(segment, container.items().size());
            if (index < 0) {
                String list = String.join(".", Arrays.asList(parts).subList(0, i));
                throw new BadInputException("--set '" + entry + "': '" + list + "' is a list, so the next part must be"
                        + " an index from 0 to " + (container.items().size() - 1) + ", got '" + segment + "'");
            }
            existing = container.items().get(index);
        } else {
            existing = container.get(segment);
        }

        ConfigNode replacement;
        if (i == parts.length - 1) {
            if (existing != null && existing.isMap()) {
                throw new BadInputException("--set '" + entry + "': '" + done + "' is a section; set one of its"
                        + " keys instead, e.g. " + done + "." + existing.keys().stream().findFirst().orElse("key")
                        + "=...");
            }
            if (existing != null && existing.isList()) {
                throw new BadInputException("--set '" + entry + "': '" + done + "' is a list; --set can replace"
                        + " only single values or items (" + done + ".0=...)");
            }
            replacement = ConfigNode.scalar(value, at);
        } else {
            ConfigNode next;
            if (existing == null || existing.isNull()) {
                next = ConfigNode.map(Map.of(), Map.of(), at);
            } else if (existing.isScalar()) {
                throw new BadInputException("--set '" + entry + "': '" + done + "' is a value, not a section,"
                        + " so it has no key '" + parts[i + 1] + "'");
            } else {
                next = existing;
            }
            replacement = setIn(next, parts, i + 1, value, at, entry);
        }

        if (container.isList()) {
            List<ConfigNode> items = new ArrayList<>(container.items());
            items.set(index, replacement);
            return ConfigNode.list(items, container.location());
        }
        Map<String, ConfigNode> children = new LinkedHashMap<>(container.asMap());
        Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
        for (String key : container.keys()) {
            keyLocations.put(key, container.keyLocation(key));
        }
        children.put(segment, replacement);
        keyLocations.putIfAbsent(segment, at);
        return ConfigNode.map(children, keyLocations, container.location());
    }

    private static int listIndex(String segment, int size) {
        if (!segment.matches("\\d{1,9}")) {
            return -1;
        }
        int i = Integer.parseInt(segment);
        return i < size ? i : -1;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The identity of a file for cycle detection; symbolic links and {@code ..} must not hide a cycle. */
    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}
