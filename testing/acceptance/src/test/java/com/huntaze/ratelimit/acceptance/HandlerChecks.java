package com.huntaze.ratelimit.acceptance;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Lambda Java runtime needs from a function of the template: its CodeUri jar, and in that jar
 * alone (the platform class loader as parent, as in Lambda, where only the runtime's own classes are
 * outside the function's code) the Handler's public class, its public no-argument constructor, a public
 * method of the named handler method taking (event, com.amazonaws.services.lambda.runtime.Context),
 * bytecode the function's Runtime runs, and an event type the runtime's serializer reads the function's
 * sample events into with that jar as the function's class loader.
 */
final class HandlerChecks {
  static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
  private static final Pattern JAVA_RUNTIME = Pattern.compile("java(\\d+)(\\..*)?");

  private HandlerChecks() {
  }

  /** A function as the runtime sees it; {@code events} are JSON files it is invoked with. */
  record Function(String name, Path codeUri, String handler, String runtime, List<Path> events) {
    Function {
      events = List.copyOf(events);
    }

    static Function of(FunctionDefinition definition, List<Path> events) {
      return new Function(definition.logicalId(), definition.codeUri(), definition.handler(), definition.runtime(),
          events);
    }

    Function withCodeUri(Path jar) {
      return new Function(name, jar, handler, runtime, events);
    }

    Function withHandler(String otherHandler) {
      return new Function(name, codeUri, otherHandler, runtime, events);
    }

    Function withRuntime(String otherRuntime) {
      return new Function(name, codeUri, handler, otherRuntime, events);
    }
  }

  /** Violations for one function, one sentence each; empty when Lambda can run it. */
  static List<String> check(Function f) {
    Path jar = f.codeUri();
    if (!jar.getFileName().toString().endsWith(".jar")) {
      return List.of(f.name() + " CodeUri " + jar + " is not a jar file");
    }
    if (!Files.isRegularFile(jar)) {
      return List.of(f.name() + " CodeUri " + jar + " does not exist: build it first (./mvnw -DskipTests package)");
    }
    String handler = f.handler();
    String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
    if (className.isEmpty() || methodName.isEmpty()) {
      return List.of(f.name() + " Handler " + handler + " is not class::method");
    }

    List<String> violations = new ArrayList<>();
    try (URLClassLoader loader = jarAlone(jar)) {
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
      Optional<Method> handlerMethod = handlerMethod(type, methodName);
      if (handlerMethod.isEmpty()) {
        violations.add(f.name() + " Handler class " + className + " has no public method " + methodName
            + "(event, " + CONTEXT + ")");
      } else {
        violations.addAll(eventsDeserialize(f, handlerMethod.get().getParameterTypes()[0], loader));
      }
      violations.addAll(linkage(f.name(), type));
      violations.addAll(bytecodeFitsTheRuntime(f, jar, className));
    } catch (IOException e) {
      violations.add(f.name() + " cannot read " + jar + ": " + e);
    }
    return violations;
  }

  /** The method the runtime calls: public, the name given, (event, Context); the typed one, not a bridge. */
  private static Optional<Method> handlerMethod(Class<?> type, String name) {
    Method found = null;
    try {
      for (Method method : type.getMethods()) {
        if (method.getName().equals(name) && method.getParameterCount() == 2
            && method.getParameterTypes()[1].getName().equals(CONTEXT) && (found == null || !method.isBridge())) {
          found = method;
        }
      }
    } catch (LinkageError e) {
      return Optional.empty(); // reported by linkage()
    }
    return Optional.ofNullable(found);
  }

  /**
   * Each sample event through the serializer the runtime picks for the event type: Lambda's own for its
   * event classes (their mixins and the libraries they need are looked up in the function's class
   * loader), Jackson for any other type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<String> eventsDeserialize(Function f, Class<?> eventType, ClassLoader function) {
    List<String> violations = new ArrayList<>();
    for (Path event : f.events()) {
      try {
        PojoSerializer serializer = LambdaEventSerializers.isLambdaSupportedEvent(eventType.getName())
            ? LambdaEventSerializers.serializerFor((Class) eventType, function)
            : JacksonFactory.getInstance().getSerializer((Class) eventType);
        if (serializer.fromJson(Files.readString(event, StandardCharsets.UTF_8)) == null) {
          violations.add(f.name() + " the runtime's serializer reads " + event.getFileName() + " as null");
        }
      } catch (IOException | RuntimeException | LinkageError e) {
        violations.add(f.name() + " the runtime's serializer cannot read " + event.getFileName() + " as "
            + eventType.getName() + " with " + f.codeUri().getFileName() + " as the function's class loader: " + e);
      }
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
    try (JarFile file = new JarFile(jar.toFile()); URLClassLoader loader = jarAlone(jar)) {
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

  private static URLClassLoader jarAlone(Path jar) throws IOException {
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
  }

  /** The handler's class file version is one the function's Runtime (javaNN) runs. */
  private static List<String> bytecodeFitsTheRuntime(Function f, Path jar, String className) throws IOException {
    Matcher runtime = JAVA_RUNTIME.matcher(f.runtime());
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
            + f.runtime() + " runs (" + maxMajor + ")");
      }
    }
    return List.of();
  }
}
