package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random contracts (every constraint kind and option) survive YAML and JSON unchanged. */
class DataContractFormatProperties {

  @Property(tries = 500)
  void contractsRoundTripThroughYamlAndJson(@ForAll("contracts") DataContract c) {
    assertThat(DataContract.fromYaml(c.toYaml(), "random.yaml")).isEqualTo(c);
    assertThat(DataContract.fromJson(c.toJson(), "random.json")).isEqualTo(c);
  }

  @Provide
  Arbitrary<DataContract> contracts() {
    return Arbitraries.randomValue(r -> RowBatchAgreementProperties.generate(r).contract());
  }
}
