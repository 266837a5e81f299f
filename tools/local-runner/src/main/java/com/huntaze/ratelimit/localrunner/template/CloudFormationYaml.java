package com.huntaze.ratelimit.localrunner.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Loads a CloudFormation / SAM template written in YAML. The short-form intrinsics ({@code !Ref X},
 * {@code !If [...]}, ...) become their long JSON form ({@code {"Ref": "X"}}, {@code {"Fn::If": [...]}}),
 * so the rest of the runner deals with one form only.
 */
public final class CloudFormationYaml {
  private static final List<String> FUNCTIONS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap",
      "GetAtt", "GetAZs", "If", "ImportValue", "Join", "Length", "Not", "Or", "Select", "Split", "Sub",
      "ToJsonString", "Transform");

  private CloudFormationYaml() {
  }

  public static Map<String, Object> load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read template " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String yamlText, String sourceName) {
    Object document = new Yaml(new IntrinsicConstructor(new LoaderOptions())).load(yamlText);
    if (!(document instanceof Map)) {
      throw new TemplateException(sourceName + " is not a YAML mapping");
    }
    return (Map<String, Object>) document;
  }

  /** SnakeYAML's safe constructor plus one constructor per CloudFormation short tag. */
  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor(LoaderOptions options) {
      super(options);
      yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
      }
    }

    private final class LongForm extends AbstractConstruct {
      private final String key;

      LongForm(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Object argument;
        if (node instanceof ScalarNode scalar) {
          argument = constructScalar(scalar);
        } else if (node instanceof SequenceNode sequence) {
          argument = constructSequence(sequence);
        } else {
          argument = constructMapping((MappingNode) node);
        }
        // !GetAtt Resource.Attribute is the short form of {"Fn::GetAtt": ["Resource", "Attribute"]}
        if (key.equals("Fn::GetAtt") && argument instanceof String dotted) {
          argument = List.of(dotted.split("\\.", 2));
        }
        return Map.of(key, argument);
      }
    }
  }
}
