package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.internal.Symbols;

/** Address lookup as libtraceevent does it (tep_parse_kallsyms, func_bcmp). */
class KallsymsTest {
  static final String TEXT = String.join("\n",
      "ffffffff81000200 T second",
      "ffffffff81000100 T first",
      "ffffffff81000300 t $x_arm_mapping",
      "0000000000012000 A fixed_percpu_data",
      "ffffffff81000400 t last\t[some_module]",
      "");

  @Test
  void symbolHoldsAddressesUpToTheNextOne() {
    Kallsyms k = Kallsyms.parse(TEXT.getBytes(StandardCharsets.UTF_8), new Symbols());
    assertThat(k.size()).as("$-names and absolute symbols are left out").isEqualTo(3);
    assertThat(k.function(0xffffffff81000100L)).isEqualTo("first");
    assertThat(k.function(0xffffffff810001ffL)).isEqualTo("first");
    assertThat(k.function(0xffffffff81000200L)).isEqualTo("second");
    assertThat(k.function(0xffffffff81000350L)).as("the $ symbol does not end 'second'").isEqualTo("second");
    assertThat(k.function(0xffffffff81000400L)).as("module suffix dropped").isEqualTo("last");
    assertThat(k.function(0xffffffff81000401L)).as("past the last symbol only an exact match counts").isNull();
    assertThat(k.function(0xffffffff810000ffL)).isNull();
    assertThat(k.function(0x12000L)).isNull();
  }
}
