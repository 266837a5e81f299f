package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * template.yaml as a JSON tree, the short tags in their long form as the SAM translator reads them:
 * {@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt A.B} is {@code {"Fn::GetAtt": ["A", "B"]}},
 * any other {@code !Name v} is {@code {"Fn::Name": v}}.
 */
final class CloudFormationYaml {
  static final ObjectMapper JSON = new ObjectMapper();

  private CloudFormationYaml() {
  }

  static ObjectNode load(Path file) throws IOException {
    Object document = new Yaml(new IntrinsicConstructor()).load(Files.readString(file, StandardCharsets.UTF_8));
    if (!(document instanceof Map)) {
      throw new IOException(file + " is not a YAML mapping");
    }
    return JSON.valueToTree(document);
  }

  private static final class IntrinsicConstructor extends SafeConstructor {
    private final Construct intrinsic = new LongForm();

    IntrinsicConstructor() {
      super(new LoaderOptions());
    }

    @Override
    protected Construct getConstructor(Node node) {
      String tag = node.getTag().getValue();
      if (tag.startsWith("!") && !tag.startsWith("!!")) {
        return intrinsic;
      }
      return super.getConstructor(node);
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
