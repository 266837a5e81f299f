package com.huntaze.ratelimit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's settings table and template.yaml agree with {@link Setting}, the one declaration. */
class SettingsDeclaredOnceTest {
  /** Read by the JVM, not by the limiter: the template may set it without a row in the table. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
  private static final Pattern README_NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
  private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("^(\\s+)([A-Z][A-Z0-9_]*):");

  @Test
  void theReadmeTableNamesEverySettingAndNoOther() throws IOException {
    assertEquals(names(Arrays.asList(Setting.values())), new TreeSet<>(readmeRows().keySet()));
  }

  @Test
  void theReadmeShowsEachDefaultAndSourceAsDeclared() throws IOException {
    Map<String, String[]> rows = readmeRows();
    for (Setting setting : Setting.values()) {
      String[] row = rows.get(setting.name());
      String shown = row[0].strip();
      if (setting.defaultValue() != null) {
        assertEquals("`" + setting.defaultValue() + "`", shown, setting + ": default");
      } else {
        assertFalse(shown.matches("`[^`]*`"), setting + " has no default, but the README shows one: " + shown);
      }
      assertEquals(setting.source().name().toLowerCase(Locale.ROOT), row[1].strip().toLowerCase(Locale.ROOT),
          setting + ": set by");
    }
  }

  @Test
  void templateYamlSetsExactlyTheSettingsMarkedTemplate() throws IOException {
    Set<String> expected = names(Arrays.stream(Setting.values())
        .filter(s -> s.source() == Setting.Source.TEMPLATE).toList());
    Set<String> set = new TreeSet<>(templateVariables());
    set.removeAll(JVM_VARIABLES);
    assertEquals(expected, set);
  }

  @Test
  void theTableParsersSeeTheWholeTables() throws IOException {
    // guards the two tests above against a parser that silently finds nothing
    assertTrue(readmeRows().size() >= 15, "README rows: " + readmeRows().keySet());
    assertTrue(templateVariables().contains("REDIS_HOST"), "template variables: " + templateVariables());
  }

  private static Set<String> names(List<Setting> settings) {
    return settings.stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Rows of the table under "## Configuration": name -> {default, set by}. */
  private static Map<String, String[]> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(repositoryFile("README.md"));
    Map<String, String[]> rows = new LinkedHashMap<>();
    boolean inSection = false;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        inSection = line.startsWith("## Configuration");
        continue;
      }
      String[] cells = line.split("\\|", -1);
      Matcher name = cells.length > 4 ? README_NAME.matcher(cells[1].strip()) : null;
      if (inSection && name != null && name.matches()) {
        rows.put(name.group(1), new String[] {cells[2], cells[3]});
      }
    }
    return rows;
  }

  /** The keys of the Globals' Environment Variables block of template.yaml. */
  private static List<String> templateVariables() throws IOException {
    List<String> lines = Files.readAllLines(repositoryFile("template.yaml"));
    List<String> names = new ArrayList<>();
    int indent = -1;
    for (String line : lines) {
      if (line.strip().equals("Variables:")) {
        indent = line.indexOf('V');
        continue;
      }
      if (indent < 0 || line.isBlank()) {
        continue;
      }
      Matcher variable = TEMPLATE_VARIABLE.matcher(line);
      if (!variable.find() || variable.group(1).length() <= indent) {
        indent = -1;
        continue;
      }
      names.add(variable.group(2));
    }
    return names;
  }

  private static Path repositoryFile(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    throw new IllegalStateException("no " + name + " above " + Path.of("").toAbsolutePath());
  }
}
