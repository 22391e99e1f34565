package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a regex's every match must contain, and how far into the match it comes. */
class RegexLiteralTest {
  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\" after {2}")
  @CsvSource(delimiterString = " => ", emptyValue = "", value = {
    "'BUG: KASAN: ([a-z\\-]+) in ([a-zA-Z0-9_]+)' => 'BUG: KASAN: ' => 0",
    "'(?:WARNING|BUG): bad unlock balance detected!' => ': bad unlock balance detected!' => -1",
    "'WARNING|BUG' => '' => -1",
    "'[^k] backtrace(?: \\(crc \\p{XDigit}*\\))?:' => ' backtrace' => 1",
    "'Call (?:T|t)race' => 'Call ' => 0",
    "'^ *(?:\\[<?(?:0x)?[0-9a-f]+>?\\] ){0,2}([a-zA-Z0-9_]+)(?:\\.|\\+)' => '' => -1",
    "'Allocated by task [0-9]+:' => 'Allocated by task ' => 0",
    "'abc?def' => 'def' => -1",
    "'abc*d' => 'ab' => 0",
    "'ab+cd' => 'ab' => 0",
    "'xy{2}zw' => 'zw' => -1",
    "'kernel BUG at \\S+:\\d+!' => 'kernel BUG at ' => 0",
    "'WARNING: CPU: \\d+ PID: \\d+ at' => 'WARNING: CPU: ' => 0",
    "'a\\.b\\[c' => 'a.b[c' => 0",
    "'^\\s\\d.x: oops' => 'x: oops' => 3",
    "'\\bfoo\\b' => 'foo' => 0",
    "'(?i)bug: found' => '' => -1",
    "'\\x41BCD' => '' => -1",
    "'general protection fault.*(?:KASAN|RIP)' => 'general protection fault' => 0",
    "'status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: ' => ' badaddr: ' => -1",
  })
  void literalAndItsLead(String regex, String literal, int lead) {
    RegexLiteral l = RegexLiteral.of(regex);
    assertThat(l.text()).isEqualTo(literal);
    assertThat(l.lead()).isEqualTo(lead);
  }
}
