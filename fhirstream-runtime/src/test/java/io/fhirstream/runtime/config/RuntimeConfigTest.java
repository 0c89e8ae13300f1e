package io.fhirstream.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline's own settings: the types that flow, and which plugins. */
class RuntimeConfigTest {

  private static RuntimeConfig config(String types) {
    return RuntimeConfig.from(
        RuntimeConfig.DEFINITION.parse(Map.of("source.resource-types", types)));
  }

  @Test
  void starMixedWithTypesADuplicateAnEmptyListOrABadNameIsRejectedAtParse() {
    assertThatThrownBy(() -> config("Patient,*"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.resource-types")
        .hasMessageContaining("use it alone");
    assertThatThrownBy(() -> config("Patient,Observation,Patient"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lists a type twice");
    assertThatThrownBy(() -> config(""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> config("patient"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a FHIR resource type");
  }

  @Test
  void starIsAllTypesAndTheDefaultsPickTheFhirSourceAndTheSqliteStore() {
    assertThat(config("*").allTypes()).isTrue();
    assertThat(config("Patient,Observation").allTypes()).isFalse();
    assertThat(config("Patient,Observation").resourceTypes())
        .containsExactly("Patient", "Observation");
    RuntimeConfig defaults = RuntimeConfig.from(RuntimeConfig.DEFINITION.parse(Map.of()));
    assertThat(List.of(defaults.sourceType(), defaults.storeType()))
        .containsExactly("fhir", "sqlite");
  }
}
