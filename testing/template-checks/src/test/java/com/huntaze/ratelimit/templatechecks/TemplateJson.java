package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.localrunner.template.CloudFormationYaml;
import java.nio.file.Path;

/** Templates as JSON trees; YAML is read by the local runner's loader (short tags in their long form). */
final class TemplateJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private TemplateJson() {
  }

  static ObjectNode load(Path file) {
    return JSON.valueToTree(CloudFormationYaml.load(file));
  }
}
