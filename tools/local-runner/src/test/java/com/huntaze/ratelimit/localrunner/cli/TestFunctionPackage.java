package com.huntaze.ratelimit.localrunner.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.huntaze.ratelimit.localrunner.testfunction.EchoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Builds, at test time, a deployment package like the real functions' shaded jars: the test handlers
 * (package testfunction) plus the aws-lambda-java-core and -events classes they use, and a template
 * pointing at it, so the integration tests run real functions through the real runtime interface client.
 */
final class TestFunctionPackage {
  static final String HANDLERS = "com.huntaze.ratelimit.localrunner.testfunction.";
  static final String TEMPLATE = """
      AWSTemplateFormatVersion: '2010-09-09'
      Transform: AWS::Serverless-2016-10-31
      Parameters:
        Greeting:
          Type: String
          Default: hello
        RedisEndpoint:
          Type: String
          Default: localhost
        RedisPort:
          Type: Number
          Default: 6379
      Conditions:
        WantsTestProperty: !Not [!Equals [!Ref Greeting, 'no-property']]
      Globals:
        Function:
          Runtime: java21
          MemorySize: 256
          Timeout: 10
          Environment:
            Variables:
              GREETING: !Ref Greeting
              REDIS_HOST: !Ref RedisEndpoint
              REDIS_PORT: !Ref RedisPort
              REDIS_TLS: 'true'
              JAVA_TOOL_OPTIONS: !If [WantsTestProperty, -Dlocal.runner.test=yes, !Ref 'AWS::NoValue']
      Resources:
        HttpApi:
          Type: AWS::Serverless::HttpApi
        EchoFunction:
          Type: AWS::Serverless::Function
          Properties:
            CodeUri: build/test-function.jar
            Handler: %1$sEchoHandler::handleRequest
            Timeout: 2
        HttpFunction:
          Type: AWS::Serverless::Function
          Properties:
            CodeUri: build/test-function.jar
            Handler: %1$sHttpApiHandler::handleRequest
            Events:
              Item:
                Type: HttpApi
                Properties: {ApiId: !Ref HttpApi, Path: '/items/{id}', Method: GET}
              Create:
                Type: HttpApi
                Properties: {ApiId: !Ref HttpApi, Path: /items, Method: POST}
              Other:
                Type: HttpApi
                Properties: {ApiId: !Ref HttpApi, Path: '/{proxy+}', Method: ANY}
        BrokenInitFunction:
          Type: AWS::Serverless::Function
          Properties:
            CodeUri: build/test-function.jar
            Handler: %1$sBrokenInitHandler::handleRequest
      """.formatted(HANDLERS);

  private TestFunctionPackage() {
  }

  /** Writes {@code dir}/template.yaml and {@code dir}/build/test-function.jar; returns the template. */
  static synchronized Path create(Path dir) {
    try {
      Files.createDirectories(dir.resolve("build"));
      Path jar = dir.resolve("build/test-function.jar");
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
        Set<String> written = new HashSet<>();
        Path classes = location(EchoHandler.class);
        Path handlers = classes.resolve(HANDLERS.replace('.', '/'));
        try (Stream<Path> files = Files.list(handlers)) {
          for (Path file : files.toList()) {
            add(zip, written, classes.relativize(file).toString(), Files.readAllBytes(file));
          }
        }
        copyClasses(location(RequestHandler.class), zip, written);
        copyClasses(location(APIGatewayV2HTTPEvent.class), zip, written);
      }
      Path template = dir.resolve("template.yaml");
      Files.writeString(template, TEMPLATE);
      return template;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What shading does: the library's classes copied into the function's jar. */
  private static void copyClasses(Path libraryJar, ZipOutputStream zip, Set<String> written) throws IOException {
    try (ZipFile library = new ZipFile(libraryJar.toFile())) {
      for (ZipEntry entry : library.stream().toList()) {
        if (entry.getName().endsWith(".class") && !entry.getName().contains("module-info")) {
          try (InputStream in = library.getInputStream(entry)) {
            add(zip, written, entry.getName(), in.readAllBytes());
          }
        }
      }
    }
  }

  private static void add(ZipOutputStream zip, Set<String> written, String name, byte[] content) throws IOException {
    if (written.add(name)) {
      zip.putNextEntry(new ZipEntry(name));
      OutputStream out = zip;
      out.write(content);
      zip.closeEntry();
    }
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
