package com.huntaze.ratelimit.localrunner.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out template values the way CloudFormation would at deploy time: {@code Ref} to parameters and
 * pseudo parameters, {@code Fn::If} over the template's Conditions ({@code Fn::Equals}, {@code Fn::Not},
 * {@code Fn::And}, {@code Fn::Or}, {@code Condition}), {@code Fn::Sub} and {@code Fn::Join}. A value that
 * is {@code Ref AWS::NoValue} comes back empty. Anything else (resources, GetAtt, imports) has no local
 * value and is a {@link TemplateException}.
 */
final class IntrinsicResolver {
  private static final String NO_VALUE = "AWS::NoValue";
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]*)}");

  /** Parameter name → value (override, else Default); absent when it has neither. */
  private final Map<String, String> parameters;
  private final Map<String, Object> conditions;

  IntrinsicResolver(Map<String, String> parameters, Map<String, Object> conditions) {
    this.parameters = Collections.unmodifiableMap(new HashMap<>(parameters)); // values may be null
    this.conditions = Map.copyOf(conditions);
  }

  /** The value as a string, or empty for {@code AWS::NoValue}. */
  Optional<String> resolve(Object value) {
    if (value == null) {
      return Optional.of("");
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return Optional.of(String.valueOf(value));
    }
    if (value instanceof Map<?, ?> map && map.size() == 1) {
      Map.Entry<?, ?> function = map.entrySet().iterator().next();
      Object argument = function.getValue();
      switch (String.valueOf(function.getKey())) {
        case "Ref":
          return ref(String.valueOf(argument));
        case "Fn::If":
          List<?> ifArgs = arguments("Fn::If", argument, 3);
          return condition(String.valueOf(ifArgs.get(0))) ? resolve(ifArgs.get(1)) : resolve(ifArgs.get(2));
        case "Fn::Sub":
          return Optional.of(sub(argument));
        case "Fn::Join":
          return Optional.of(join(argument));
        default:
          throw new TemplateException(function.getKey() + " has no local value (supported: Ref to parameters and "
              + "pseudo parameters, Fn::If, Fn::Sub, Fn::Join)");
      }
    }
    throw new TemplateException("cannot use " + value + " as a value");
  }

  /** Evaluates a named condition of the template's Conditions section. */
  boolean condition(String name) {
    Object definition = conditions.get(name);
    if (definition == null) {
      throw new TemplateException("condition '" + name + "' is not in the template's Conditions");
    }
    return evaluate(definition);
  }

  private boolean evaluate(Object expression) {
    if (expression instanceof Boolean flag) {
      return flag;
    }
    if (!(expression instanceof Map<?, ?> map) || map.size() != 1) {
      throw new TemplateException("cannot evaluate condition " + expression);
    }
    Map.Entry<?, ?> function = map.entrySet().iterator().next();
    Object argument = function.getValue();
    switch (String.valueOf(function.getKey())) {
      case "Fn::Equals":
        List<?> pair = arguments("Fn::Equals", argument, 2);
        return resolve(pair.get(0)).equals(resolve(pair.get(1)));
      case "Fn::Not":
        return !evaluate(arguments("Fn::Not", argument, 1).get(0));
      case "Fn::And":
        return asList("Fn::And", argument).stream().allMatch(this::evaluate);
      case "Fn::Or":
        return asList("Fn::Or", argument).stream().anyMatch(this::evaluate);
      case "Condition":
        return condition(String.valueOf(argument));
      default:
        throw new TemplateException(function.getKey() + " is not a condition function");
    }
  }

  private Optional<String> ref(String name) {
    if (name.equals(NO_VALUE)) {
      return Optional.empty();
    }
    return Optional.of(named(name, "Ref"));
  }

  private String named(String name, String usedBy) {
    String pseudo = PseudoParameters.VALUES.get(name);
    if (pseudo != null) {
      return pseudo;
    }
    String parameter = parameters.get(name);
    if (parameter != null) {
      return parameter;
    }
    if (parameters.containsKey(name)) {
      throw new TemplateException(usedBy + " to parameter '" + name
          + "', which has no Default: give it with --parameter-overrides " + name + "=...");
    }
    throw new TemplateException(usedBy + " to '" + name + "', which is not a parameter or pseudo parameter "
        + "(resources and their attributes have no local value)");
  }

  private String sub(Object argument) {
    String text;
    Map<?, ?> variables = Map.of();
    if (argument instanceof List<?> list) {
      List<?> subArgs = arguments("Fn::Sub", list, 2);
      text = String.valueOf(subArgs.get(0));
      if (!(subArgs.get(1) instanceof Map<?, ?> map)) {
        throw new TemplateException("Fn::Sub variables must be a mapping");
      }
      variables = map;
    } else {
      text = String.valueOf(argument);
    }
    Matcher matcher = SUB_VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(2);
      String replacement;
      if (!matcher.group(1).isEmpty()) {
        replacement = "${" + name + "}"; // ${!Literal} stands for the text ${Literal}
      } else if (variables.containsKey(name)) {
        replacement = resolve(variables.get(name)).orElse("");
      } else {
        replacement = named(name, "Fn::Sub ${" + name + "}");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private String join(Object argument) {
    List<?> joinArgs = arguments("Fn::Join", argument, 2);
    List<String> parts = new ArrayList<>();
    for (Object part : asList("Fn::Join", joinArgs.get(1))) {
      resolve(part).ifPresent(parts::add);
    }
    return String.join(String.valueOf(joinArgs.get(0)), parts);
  }

  private static List<?> arguments(String function, Object argument, int count) {
    List<?> list = asList(function, argument);
    if (list.size() != count) {
      throw new TemplateException(function + " takes " + count + " arguments, got " + list);
    }
    return list;
  }

  private static List<?> asList(String function, Object argument) {
    if (!(argument instanceof List<?> list)) {
      throw new TemplateException(function + " needs a list, got " + argument);
    }
    return list;
  }
}
