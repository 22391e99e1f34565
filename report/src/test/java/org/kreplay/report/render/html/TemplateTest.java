package org.kreplay.report.render.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TemplateTest {
  @Test
  void markersComeInTheOrderPagesFillThem() {
    assertThat(Template.REPORT.markers())
        .containsExactly("script-hash", "generator", "title", "header", "nav", "body", "footer", "meta");
  }

  @Test
  void theContentSecurityPolicyAllowsExactlyTheTemplatesScript() throws Exception {
    StringWriter w = new StringWriter();
    HtmlOut out = new HtmlOut(w);
    Template.Cursor c = Template.REPORT.start(out);
    for (String m : Template.REPORT.markers()) {
      c.printTill(m);
      if (m.equals("script-hash")) out.raw(Template.REPORT.scriptHash());
    }
    c.finish();
    out.flush();
    String page = w.toString();
    int start = page.indexOf("<script>") + "<script>".length();
    String script = page.substring(start, page.indexOf("</script>", start));
    String hash = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
    assertThat(Template.REPORT.scriptHash()).isEqualTo("'sha256-" + hash + "'");
    assertThat(page).contains("script-src 'sha256-" + hash + "'", "default-src 'none'");
  }

  @Test
  void aPageMustFillEveryMarkerInOrder() {
    Template.Cursor c = Template.REPORT.start(new HtmlOut(new StringWriter()));
    assertThatThrownBy(() -> c.printTill("body")).hasMessageContaining("expected marker script-hash");
    Template.Cursor d = Template.REPORT.start(new HtmlOut(new StringWriter()));
    d.printTill("script-hash");
    assertThatThrownBy(d::finish).hasMessageContaining("marker generator not filled");
  }
}
