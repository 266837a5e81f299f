package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Lambda Java runtime needs from each AWS::Serverless::Function of the (untransformed)
 * template: its CodeUri jar, and in that jar alone (the platform class loader as parent, as in Lambda,
 * where only the runtime's own classes are outside the function's code) the Handler's public class,
 * its public no-argument constructor and a public method of the named handler method taking
 * (event, com.amazonaws.services.lambda.runtime.Context), compiled for the function's Runtime.
 */
final class HandlerChecks {
  static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
  private static final Pattern JAVA_RUNTIME = Pattern.compile("java(\\d+)(\\..*)?");

  private HandlerChecks() {
  }

  /** Function resource name to its properties, Globals.Function merged in (shallowly, enough for these keys). */
  static Map<String, Function> functions(JsonNode template) {
    Map<String, Function> functions = new LinkedHashMap<>();
    JsonNode globals = template.path("Globals").path("Function");
    template.path("Resources").fields().forEachRemaining(r -> {
      if (r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
        JsonNode p = r.getValue().path("Properties");
        functions.put(r.getKey(), new Function(r.getKey(), property(p, globals, "CodeUri"),
            property(p, globals, "Handler"), property(p, globals, "Runtime")));
      }
    });
    return functions;
  }

  private static JsonNode property(JsonNode properties, JsonNode globals, String name) {
    return properties.has(name) ? properties.get(name) : globals.path(name);
  }

  record Function(String name, JsonNode codeUri, JsonNode handler, JsonNode runtime) {
  }

  /** Violations for one function; the CodeUri is relative to the template's folder. */
  static List<String> check(Path templateDir, Function f) {
    List<String> violations = new ArrayList<>();
    if (!f.codeUri().isTextual() || !f.codeUri().asText().endsWith(".jar")) {
      return List.of(f.name() + " CodeUri " + f.codeUri() + " is not a jar file");
    }
    Path jar = templateDir.resolve(f.codeUri().asText()).normalize();
    if (!Files.isRegularFile(jar)) {
      return List.of(f.name() + " CodeUri " + jar + " does not exist: build it first (./mvnw -DskipTests package)");
    }
    String handler = f.handler().asText("");
    String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
    if (className.isEmpty() || methodName.isEmpty()) {
      return List.of(f.name() + " Handler " + f.handler() + " is not class::method");
    }

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> type;
      try {
        type = Class.forName(className, false, loader);
      } catch (ClassNotFoundException e) {
        return List.of(f.name() + " Handler class " + className + " is not in " + jar);
      } catch (LinkageError e) {
        return List.of(f.name() + " Handler class " + className + " cannot be loaded from " + jar
            + " alone (the jar is not self-contained): " + e);
      }
      int modifiers = type.getModifiers();
      if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers) || type.isInterface()) {
        violations.add(f.name() + " Handler class " + className + " is not a public concrete class");
      }
      try {
        Constructor<?> constructor = type.getConstructor();
        if (!Modifier.isPublic(constructor.getModifiers())) {
          violations.add(f.name() + " " + className + "() is not public");
        }
      } catch (NoSuchMethodException e) {
        violations.add(f.name() + " Handler class " + className + " has no public no-argument constructor");
      }
      boolean handlerMethod = false;
      for (Method method : type.getMethods()) {
        if (method.getName().equals(methodName) && method.getParameterCount() == 2
            && method.getParameterTypes()[1].getName().equals(CONTEXT)) {
          handlerMethod = true;
        }
      }
      if (!handlerMethod) {
        violations.add(f.name() + " Handler class " + className + " has no public method " + methodName
            + "(event, " + CONTEXT + ")");
      }
      violations.addAll(linkage(f.name(), type));
      violations.addAll(bytecodeFitsTheRuntime(f, jar, className));
    } catch (IOException e) {
      violations.add(f.name() + " cannot read " + jar + ": " + e);
    }
    return violations;
  }

  /** The types in the class's signatures resolve from the jar (fields, constructors, methods). */
  static List<String> linkage(String function, Class<?> type) {
    try {
      type.getDeclaredFields();
      type.getDeclaredConstructors();
      type.getDeclaredMethods();
      return List.of();
    } catch (LinkageError | TypeNotPresentException e) {
      return List.of(function + " " + type.getName() + " refers to a class missing from its jar: " + e);
    }
  }

  /** Every class under com/huntaze/ in the jar loads, with the types of its signatures, from the jar alone. */
  static List<String> projectClassesLink(String function, Path jar) throws IOException {
    List<String> violations = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile());
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        String name = entry.getName();
        if (!name.startsWith("com/huntaze/") || !name.endsWith(".class") || name.endsWith("module-info.class")) {
          continue;
        }
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        try {
          violations.addAll(linkage(function, Class.forName(className, false, loader)));
        } catch (ClassNotFoundException | LinkageError e) {
          violations.add(function + " " + className + " cannot be loaded from " + jar + " alone: " + e);
        }
      }
    }
    return violations;
  }

  /** The handler's class file version is one the function's Runtime (javaNN) runs. */
  private static List<String> bytecodeFitsTheRuntime(Function f, Path jar, String className) throws IOException {
    Matcher runtime = JAVA_RUNTIME.matcher(f.runtime().asText(""));
    if (!runtime.matches()) {
      return List.of(f.name() + " Runtime " + f.runtime() + " is not a Java runtime");
    }
    int feature = Integer.parseInt(runtime.group(1));
    int maxMajor = feature == 8 ? 52 : feature + 44;
    try (JarFile file = new JarFile(jar.toFile());
        InputStream in = file.getInputStream(file.getEntry(className.replace('.', '/') + ".class"));
        DataInputStream data = new DataInputStream(in)) {
      data.readInt(); // 0xCAFEBABE
      data.readUnsignedShort(); // minor
      int major = data.readUnsignedShort();
      if (major > maxMajor) {
        return List.of(f.name() + " " + className + " is class file version " + major + ", newer than Runtime "
            + f.runtime().asText() + " runs (" + maxMajor + ")");
      }
    }
    return List.of();
  }
}
