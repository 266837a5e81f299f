package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A transformed (plain CloudFormation) template as CloudFormation would create it for some parameter
 * values: resources whose Condition is false are gone, {@code Fn::If} takes its branch and
 * {@code AWS::NoValue} removes the property or list element. Everything else ({@code Ref}, {@code Fn::Sub},
 * ...) stays as written, so checks compare against {@code {"Ref": "CachePort"}} and the like.
 */
final class CfnTemplate {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode root;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final Map<String, JsonNode> resources = new LinkedHashMap<>();

  CfnTemplate(JsonNode root, Map<String, String> parameterValues) {
    this.root = root;
    root.path("Parameters").fields().forEachRemaining(p -> {
      if (p.getValue().has("Default")) {
        parameters.put(p.getKey(), p.getValue().get("Default").asText());
      }
    });
    parameters.putAll(parameterValues);
    root.path("Resources").fields().forEachRemaining(r -> {
      JsonNode condition = r.getValue().get("Condition");
      if (condition == null || condition(condition.asText())) {
        resources.put(r.getKey(), resolve(r.getValue()));
      }
    });
  }

  JsonNode raw() {
    return root;
  }

  String parameter(String name) {
    return parameters.get(name);
  }

  JsonNode parameterDeclaration(String name) {
    return root.path("Parameters").path(name);
  }

  /** Name to resource, the resources CloudFormation would create. */
  Map<String, JsonNode> resources() {
    return resources;
  }

  Map<String, JsonNode> resources(String type) {
    Map<String, JsonNode> ofType = new LinkedHashMap<>();
    resources.forEach((name, resource) -> {
      if (type.equals(resource.path("Type").asText())) {
        ofType.put(name, resource);
      }
    });
    return ofType;
  }

  Optional<JsonNode> resource(String name) {
    return Optional.ofNullable(resources.get(name));
  }

  /** Name to output, those CloudFormation would create. */
  Map<String, JsonNode> outputs() {
    Map<String, JsonNode> outputs = new LinkedHashMap<>();
    root.path("Outputs").fields().forEachRemaining(o -> {
      JsonNode condition = o.getValue().get("Condition");
      if (condition == null || condition(condition.asText())) {
        outputs.put(o.getKey(), resolve(o.getValue()));
      }
    });
    return outputs;
  }

  boolean condition(String name) {
    JsonNode definition = root.path("Conditions").get(name);
    if (definition == null) {
      throw new IllegalArgumentException("no condition " + name);
    }
    return evaluate(definition);
  }

  private boolean evaluate(JsonNode condition) {
    if (condition.has("Condition")) {
      return condition(condition.get("Condition").asText());
    }
    if (condition.has("Fn::Equals")) {
      JsonNode operands = condition.get("Fn::Equals");
      return value(operands.get(0)).equals(value(operands.get(1)));
    }
    if (condition.has("Fn::Not")) {
      return !evaluate(condition.get("Fn::Not").get(0));
    }
    if (condition.has("Fn::And")) {
      for (JsonNode operand : condition.get("Fn::And")) {
        if (!evaluate(operand)) {
          return false;
        }
      }
      return true;
    }
    if (condition.has("Fn::Or")) {
      for (JsonNode operand : condition.get("Fn::Or")) {
        if (evaluate(operand)) {
          return true;
        }
      }
      return false;
    }
    throw new IllegalArgumentException("unsupported condition " + condition);
  }

  /** A literal, or a Ref to a parameter (the only operands the template's conditions use). */
  private String value(JsonNode operand) {
    if (operand.isValueNode()) {
      return operand.asText();
    }
    if (operand.has("Ref") && parameters.containsKey(operand.get("Ref").asText())) {
      return parameters.get(operand.get("Ref").asText());
    }
    throw new IllegalArgumentException("unsupported condition operand " + operand);
  }

  /** A copy with every Fn::If decided; null when the whole value is AWS::NoValue. */
  JsonNode resolve(JsonNode node) {
    if (node.isObject()) {
      if (node.size() == 1 && node.has("Fn::If")) {
        JsonNode arguments = node.get("Fn::If");
        return resolve(condition(arguments.get(0).asText()) ? arguments.get(1) : arguments.get(2));
      }
      if (node.size() == 1 && "AWS::NoValue".equals(node.path("Ref").asText(null))) {
        return null;
      }
      ObjectNode copy = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = resolve(field.getValue());
        if (value != null) {
          copy.set(field.getKey(), value);
        }
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      for (JsonNode element : node) {
        JsonNode value = resolve(element);
        if (value != null) {
          copy.add(value);
        }
      }
      return copy;
    }
    return node;
  }
}
