package com.huntaze.ratelimit.localrunner.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFormationYamlTest {

  @Test
  void shortTagsBecomeTheLongForm() {
    Map<String, Object> root = CloudFormationYaml.parse(String.join("\n",
        "a: !Ref Param",
        "b: !Sub 'x-${AWS::Region}'",
        "c: !If [Cond, !Ref P, !Ref 'AWS::NoValue']",
        "d: !Not [!Equals [!Ref P, '']]",
        "e: !GetAtt Api.ApiEndpoint",
        "f: !Join [',', [a, !Ref P]]",
        "g: !And [!Condition A, !Or [!Condition B, !Condition C]]",
        "h: !Sub",
        "  - '${X}'",
        "  - X: !Ref P",
        "i: !Base64 text"), "test");

    assertEquals(Map.of("Ref", "Param"), root.get("a"));
    assertEquals(Map.of("Fn::Sub", "x-${AWS::Region}"), root.get("b"));
    assertEquals(Map.of("Fn::If", List.of("Cond", Map.of("Ref", "P"), Map.of("Ref", "AWS::NoValue"))),
        root.get("c"));
    assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")))), root.get("d"));
    assertEquals(Map.of("Fn::GetAtt", List.of("Api", "ApiEndpoint")), root.get("e"));
    assertEquals(Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "P")))), root.get("f"));
    assertEquals(Map.of("Fn::And", List.of(Map.of("Condition", "A"),
        Map.of("Fn::Or", List.of(Map.of("Condition", "B"), Map.of("Condition", "C"))))), root.get("g"));
    assertEquals(Map.of("Fn::Sub", List.of("${X}", Map.of("X", Map.of("Ref", "P")))), root.get("h"));
    assertEquals(Map.of("Fn::Base64", "text"), root.get("i"));
  }

  @Test
  void everyOtherShortTagBecomesTheFunctionOfItsName() {
    Map<String, Object> root = CloudFormationYaml.parse(String.join("\n",
        "a: !Contains [[a, b], !Ref P]",
        "b: !ValueOf [P, Attr]",
        "c: !GetAtt [Api, ApiEndpoint]",
        "d: !!str 42"), "test");

    assertEquals(Map.of("Fn::Contains", List.of(List.of("a", "b"), Map.of("Ref", "P"))), root.get("a"));
    assertEquals(Map.of("Fn::ValueOf", List.of("P", "Attr")), root.get("b"));
    assertEquals(Map.of("Fn::GetAtt", List.of("Api", "ApiEndpoint")), root.get("c"));
    assertEquals("42", root.get("d"), "YAML's own tags keep their meaning");
  }

  @Test
  void aDocumentThatIsNoMappingIsRejected() {
    assertThrows(TemplateException.class, () -> CloudFormationYaml.parse("- a\n- b\n", "test"));
  }
}
