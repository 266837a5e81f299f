package com.huntaze.ratelimit.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceTableTest {
  private static final String SOURCE = "test plans";
  private static final String PLANS = "\"plans\": {\"pro\": {\"limits\": [{\"name\": \"rpm\", \"unit\": \"requests\","
      + " \"limit\": 60, \"window\": \"1m\", \"algorithm\": \"sliding-window\"}]}}";

  private static PlanCatalog withModels(String models) {
    return PlanCatalog.parse("{" + PLANS + ", \"models\": " + models + "}", SOURCE);
  }

  private static PlanDocumentException fails(String models) {
    return assertThrows(PlanDocumentException.class, () -> withModels(models));
  }

  @Test
  void pricesInUsdPerMillionBecomeExactMicroDollarsPerMillion() {
    PriceTable prices = withModels("{\"m\": {\"inputPerMillion\": 2.5, \"cachedInputPerMillion\": 1.25,"
        + " \"outputPerMillion\": 10}}").prices();
    assertEquals(Optional.of(new ModelPrice("m", 2_500_000, 1_250_000, 10_000_000)), prices.price("m"));
    assertEquals(List.of("m"), List.copyOf(prices.models()));
  }

  @Test
  void theCachedPriceDefaultsToTheInputPrice() {
    ModelPrice price = withModels("{\"m\": {\"inputPerMillion\": 0.15, \"outputPerMillion\": 0.6}}").prices()
        .price("m").orElseThrow();
    assertEquals(150_000, price.cachedInputPerMillion());
  }

  @Test
  void aDocumentWithoutModelsHasAnEmptyTable() {
    assertTrue(PlanCatalog.parse("{" + PLANS + "}", SOURCE).prices().models().isEmpty());
  }

  @Test
  void theBundledDocumentPricesCommonModels() {
    PriceTable prices = PlanCatalog.bundledDefault().prices();
    assertEquals(Optional.of(new ModelPrice("gpt-4o-mini", 150_000, 75_000, 600_000)), prices.price("gpt-4o-mini"));
    assertTrue(prices.models().size() >= 5, prices.models().toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"m\": {\"inputPerMillion\": -1, \"outputPerMillion\": 1}}        | field 'inputPerMillion' | (got -1)",
      "{\"m\": {\"inputPerMillion\": 1.0000001, \"outputPerMillion\": 1}} | at most 6 decimals       | 1.0000001",
      "{\"m\": {\"inputPerMillion\": 20000, \"outputPerMillion\": 1}}     | from 0 to 10000          | (got 20000)",
      "{\"m\": {\"inputPerMillion\": \"2.5\", \"outputPerMillion\": 1}}   | field 'inputPerMillion' | USD per million",
      "{\"m\": {\"inputPerMillion\": 1}}                                 | field 'outputPerMillion' | USD per million",
      "{\"m\": {\"inputPerMillion\": 1, \"outputPerMilion\": 1}}          | unknown field 'outputPerMilion' | outputPerMillion",
      "{\"m\": 3}                                                        | model 'm'                | expected an object",
      "{\"bad model\": {\"inputPerMillion\": 1, \"outputPerMillion\": 1}} | model 'bad model'        | must match",
      "[]                                                                | \"models\" must be an object | model name"})
  void aBadPriceFailsAtStartUpNamingTheModelAndTheField(String models, String part1, String part2) {
    String message = fails(models).getMessage();
    assertTrue(message.startsWith(SOURCE + ": "), message);
    assertTrue(message.contains(part1.strip()) && message.contains(part2.strip()), message);
  }

  @Test
  void anUnknownTopLevelFieldIsRefusedInsteadOfIgnored() {
    String message = assertThrows(PlanDocumentException.class,
        () -> PlanCatalog.parse("{" + PLANS + ", \"modles\": {}}", SOURCE)).getMessage();
    assertTrue(message.contains("unknown field 'modles'") && message.contains("models"), message);
  }
}
