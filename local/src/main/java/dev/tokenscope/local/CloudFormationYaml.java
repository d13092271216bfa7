package dev.tokenscope.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template: the short tags (!Ref, !Sub, !GetAtt ...) become their long forms
 * ({"Ref": ...}, {"Fn::Sub": ...}), which plain SnakeYAML would reject.
 */
public final class CloudFormationYaml {

    private static final List<String> FUNCTIONS = List.of("Sub", "GetAtt", "Join", "If", "Equals", "Select",
            "Split", "FindInMap", "Not", "And", "Or", "ImportValue", "Base64", "Cidr", "GetAZs", "Transform");

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path template) {
        try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            return (Map<String, Object>) new Yaml(new Constructor()).load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
    }

    private static final class Constructor extends SafeConstructor {
        Constructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Short("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Short("Condition"));
            for (String name : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + name), new Short("Fn::" + name));
            }
        }

        private final class Short extends AbstractConstruct {
            private final String longName;

            Short(String longName) {
                this.longName = longName;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = scalar.getValue();
                    // !GetAtt A.B is the short form of Fn::GetAtt [A, B].
                    value = longName.equals("Fn::GetAtt") && text.contains(".")
                            ? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1))
                            : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = new ArrayList<>(constructSequence(sequence));
                } else {
                    value = new LinkedHashMap<>(constructMapping((MappingNode) node));
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put(longName, value);
                return result;
            }
        }
    }

    /** Each AWS::Athena::NamedQuery of a template, in template order: resource name -> SQL. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> namedQueries(Path template) {
        Map<String, String> queries = new LinkedHashMap<>();
        ((Map<String, Object>) load(template).get("Resources")).forEach((name, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if ("AWS::Athena::NamedQuery".equals(r.get("Type"))) {
                queries.put(name, (String) ((Map<String, Object>) r.get("Properties")).get("QueryString"));
            }
        });
        return queries;
    }
}
