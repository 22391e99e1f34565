package org.kreplay.report.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void elementTextAndAttributesEscapeEveryMarkupCharacter() {
    assertThat(Html.text("<script>alert(1)</script>")).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(Html.text("&amp;")).isEqualTo("&amp;amp;");
    assertThat(Html.attr("\" onmouseover='x'")).isEqualTo("&quot; onmouseover=&#39;x&#39;");
    assertThat(Html.text("plain_name/0:1")).isSameAs("plain_name/0:1").isEqualTo("plain_name/0:1");
  }

  @Test
  void controlCharactersBecomeVisibleReplacements() {
    assertThat(Html.text("a\u0000b\u001bc\td")).isEqualTo("a\uFFFDb\uFFFDc\td");
  }

  @Test
  void scriptDataCannotCloseTheScriptOrOpenAComment() throws Exception {
    String json = new ObjectMapper().writeValueAsString(Map.of("comm", "</script><script>alert(1)</script><!--"));
    String safe = Html.scriptJson(json);
    assertThat(safe).doesNotContain("<", ">", "&");
    assertThat(new ObjectMapper().readTree(safe).get("comm").asText()).isEqualTo("</script><script>alert(1)</script><!--");
    assertThat(Html.scriptJson("\"\u2028\"")).isEqualTo("\"\\u2028\"");
  }

  @Test
  void absurdlyLongTextIsClippedAndSaysSo() {
    String s = "x".repeat(Html.MAX_TEXT + 10);
    assertThat(Html.clip(s)).startsWith("x".repeat(Html.MAX_TEXT)).endsWith("… (10 more characters)");
    assertThat(Html.clip("short")).isEqualTo("short");
  }
}
