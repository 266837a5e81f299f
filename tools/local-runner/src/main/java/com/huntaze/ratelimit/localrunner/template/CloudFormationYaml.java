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
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads a CloudFormation / SAM template written in YAML, the short-form intrinsics in their long JSON
 * form as cfn-lint, the SAM CLI and the SAM translator read them: {@code !Ref X} is {@code {"Ref": "X"}},
 * {@code !Condition C} is {@code {"Condition": "C"}}, {@code !GetAtt A.B} is
 * {@code {"Fn::GetAtt": ["A", "B"]}}, and any other {@code !Name v} is {@code {"Fn::Name": v}}.
 */
public final class CloudFormationYaml {
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
  static Map<String, Object> parse(String yamlText, String sourceName) {
    Object document = new Yaml(new IntrinsicConstructor()).load(yamlText);
    if (!(document instanceof Map)) {
      throw new TemplateException(sourceName + " is not a YAML mapping");
    }
    return (Map<String, Object>) document;
  }

  /** SnakeYAML's safe constructor, with every local tag ({@code !Name}) read as an intrinsic function. */
  private static final class IntrinsicConstructor extends SafeConstructor {
    private final Construct intrinsic = new LongForm();

    IntrinsicConstructor() {
      super(new LoaderOptions());
    }

    @Override
    protected Construct getConstructor(Node node) {
      String tag = node.getTag().getValue();
      return tag.startsWith("!") && !tag.startsWith("!!") ? intrinsic : super.getConstructor(node);
    }

    private final class LongForm extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        String name = node.getTag().getValue().substring(1);
        String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
        Object argument;
        if (node instanceof ScalarNode scalar) {
          String text = constructScalar(scalar);
          argument = name.equals("GetAtt") ? List.of(text.split("\\.", 2)) : text;
        } else if (node instanceof SequenceNode sequence) {
          argument = constructSequence(sequence);
        } else {
          argument = constructMapping((MappingNode) node);
        }
        return Map.of(key, argument);
      }
    }
  }
}
