package io.nccsim.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.nccsim.common.BadInputException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link ConfigNode} trees from YAML with Jackson's streaming parser.
 *
 * <p>The streaming parser is used rather than a tree mapper because only it exposes the line and column of every
 * token, and because it lets us refuse what a tree mapper would silently accept: duplicate keys (the last one would
 * win), aliases, and a second document after {@code ---}.
 */
final class YamlTreeParser {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final YAMLParser parser;
    private final String source;

    private YamlTreeParser(YAMLParser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    static ConfigNode parse(String text, String source) {
        try (YAMLParser p = FACTORY.createParser(text)) {
            YamlTreeParser tp = new YamlTreeParser(p, source);
            JsonToken first = p.nextToken();
            if (first == null) {
                return ConfigNode.scalar(null, new SourceLocation(source, 1, 1));
            }
            ConfigNode root = tp.readValue(first, "");
            if (p.nextToken() != null) {
                throw new BadInputException(tp.here() + ": only one YAML document per file is allowed;"
                        + " remove the '---' line and what follows it, or move it to its own file");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException e) {
            // Parsing a String does no I/O, so this cannot happen in practice.
            throw new UncheckedIOException(e);
        }
    }

    private ConfigNode readValue(JsonToken token, String path) throws IOException {
        SourceLocation at = here();
        switch (token) {
            case START_OBJECT: {
                Map<String, ConfigNode> children = new LinkedHashMap<>();
                Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    if (t != JsonToken.FIELD_NAME) {
                        throw new BadInputException(here() + ": YAML syntax error: expected a key, got " + t);
                    }
                    String key = parser.currentName();
                    SourceLocation keyAt = here();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    SourceLocation first = keyLocations.get(key);
                    if (first != null) {
                        throw new BadInputException(keyAt + ": duplicate key '" + childPath + "' (first written at "
                                + first.line() + ":" + first.column() + "); keep only one of them");
                    }
                    keyLocations.put(key, keyAt);
                    children.put(key, readValue(parser.nextToken(), childPath));
                }
                return ConfigNode.map(children, keyLocations, at);
            }
            case START_ARRAY: {
                List<ConfigNode> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(readValue(t, path + "[" + items.size() + "]"));
                }
                return ConfigNode.list(items, at);
            }
            case VALUE_NULL:
                return ConfigNode.scalar(null, at);
            default:
                if (parser.isCurrentAlias()) {
                    throw new BadInputException(at + ": " + (path.isEmpty() ? "" : path + ": ")
                            + "YAML aliases (*" + parser.getText() + ") are not supported;"
                            + " write the value out, or share settings with 'use:'");
                }
                return ConfigNode.scalar(parser.getText(), at);
        }
    }

    private SourceLocation here() {
        JsonLocation l = parser.currentTokenLocation();
        return new SourceLocation(source, l.getLineNr(), l.getColumnNr());
    }

    /** Reduces the parser's multi-line report (with a caret drawing) to the one line our errors are made of. */
    private static BadInputException syntaxError(JsonProcessingException e, String source) {
        int line;
        int column;
        String reason;
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            Mark pm = m.getProblemMark();
            line = pm.getLine() + 1;
            column = pm.getColumn() + 1;
            reason = m.getProblem();
            Mark cm = m.getContextMark();
            if (m.getContext() != null && cm != null && (cm.getLine() != pm.getLine() || cm.getColumn() != pm.getColumn())) {
                reason += " (" + m.getContext() + " that starts at " + (cm.getLine() + 1) + ":" + (cm.getColumn() + 1) + ")";
            }
        } else {
            JsonLocation l = e.getLocation();
            line = l == null ? 1 : Math.max(1, l.getLineNr());
            column = l == null ? 1 : Math.max(1, l.getColumnNr());
            String msg = String.valueOf(e.getOriginalMessage());
            reason = msg.startsWith("Expected a field name")
                    ? "keys must be plain values (a list or a map cannot be a key)"
                    : msg.lines().findFirst().orElse("unreadable YAML");
        }
        reason = reason.replaceAll("\\s+", " ").trim();
        return new BadInputException(source + ":" + line + ":" + column + ": YAML syntax error: " + reason, e);
    }
}
