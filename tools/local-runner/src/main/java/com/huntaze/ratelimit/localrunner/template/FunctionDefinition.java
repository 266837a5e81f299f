package com.huntaze.ratelimit.localrunner.template;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AWS::Serverless::Function of the template with Globals applied and its environment resolved.
 * {@code codeUri} is absolute: the deployment package (jar or zip) or a directory of its contents.
 * {@code unresolved}: variables whose template value cannot be resolved here (e.g. a Ref to a parameter
 * without Default), with the reason; an error only if the run does not supply them (as it does REDIS_*).
 */
public record FunctionDefinition(
    String logicalId,
    Path codeUri,
    String handler,
    String runtime,
    int timeoutSeconds,
    int memorySizeMb,
    Map<String, String> environment,
    Map<String, String> unresolved,
    List<HttpRoute> routes) {

  public FunctionDefinition {
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment)); // keeps template order
    unresolved = Map.copyOf(unresolved);
    routes = List.copyOf(routes);
  }

  /** Whether the function declares the variable, resolvable here or not. */
  public boolean declares(String variable) {
    return environment.containsKey(variable) || unresolved.containsKey(variable);
  }
}
