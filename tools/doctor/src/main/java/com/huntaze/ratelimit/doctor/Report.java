package com.huntaze.ratelimit.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The findings of one run, in order, rendered as a table for people or as JSON for machines. */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int MESSAGE_WIDTH = 90;

  private final List<Finding> findings = new ArrayList<>();

  public void add(Finding finding) {
    findings.add(finding);
  }

  public void addAll(List<Finding> more) {
    findings.addAll(more);
  }

  public List<Finding> findings() {
    return Collections.unmodifiableList(findings);
  }

  public Optional<Finding> find(String id) {
    return findings.stream().filter(f -> f.id().equals(id)).findFirst();
  }

  public boolean failed() {
    return findings.stream().anyMatch(f -> f.status() == Status.FAIL);
  }

  /** 1 when any finding failed, else 0. */
  public int exitCode() {
    return failed() ? 1 : 0;
  }

  public Map<Status, Integer> counts() {
    Map<Status, Integer> counts = new EnumMap<>(Status.class);
    for (Status status : Status.values()) {
      counts.put(status, 0);
    }
    findings.forEach(f -> counts.merge(f.status(), 1, Integer::sum));
    return counts;
  }

  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("ok", !failed());
    ObjectNode summary = root.putObject("summary");
    counts().forEach((status, n) -> summary.put(status.label(), n));
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      ObjectNode node = list.addObject();
      node.put("id", f.id());
      node.put("status", f.status().label());
      node.put("message", f.message());
      node.put("fix", f.fix());
    }
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render the report as JSON", e);
    }
  }

  public String table() {
    int idWidth = Math.max("CHECK".length(), findings.stream().mapToInt(f -> f.id().length()).max().orElse(0));
    String nl = System.lineSeparator();
    StringBuilder out = new StringBuilder();
    out.append(pad("STATUS", 8)).append(pad("CHECK", idWidth + 2)).append("FINDING").append(nl);
    String indent = " ".repeat(8 + idWidth + 2);
    for (Finding f : findings) {
      List<String> lines = wrap(f.message(), MESSAGE_WIDTH);
      out.append(pad(f.status().label().toUpperCase(java.util.Locale.ROOT), 8)).append(pad(f.id(), idWidth + 2))
          .append(lines.get(0)).append(nl);
      for (String line : lines.subList(1, lines.size())) {
        out.append(indent).append(line).append(nl);
      }
      if (!f.fix().isEmpty()) {
        // never wrapped inside: each "; "-separated part (a command) stays whole on its own line, to copy
        String[] parts = f.fix().split("; ");
        for (int i = 0; i < parts.length; i++) {
          out.append(indent).append(i == 0 ? "fix: " : "     ").append(parts[i]).append(nl);
        }
      }
    }
    Map<Status, Integer> counts = counts();
    out.append(nl).append(counts.get(Status.PASS)).append(" pass, ").append(counts.get(Status.WARN)).append(" warn, ")
        .append(counts.get(Status.FAIL)).append(" fail, ").append(counts.get(Status.UNKNOWN)).append(" unknown, ")
        .append(counts.get(Status.SKIPPED)).append(" skipped").append(nl);
    return out.toString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }

  /** Word wrap; a word longer than the width (an aws CLI command's JSON) stays whole on its own line. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
