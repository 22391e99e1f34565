package org.kreplay.ingest.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.internal.Symbols;

/** Call-trace line forms of x86, arm64, 32-bit ARM, old kernels and symbolizers. */
class FrameParserTest {
  private final FrameParser p = new FrameParser(new Symbols());

  private FrameParser parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    p.parse(b, 0, b.length);
    return p;
  }

  @Test
  void x86Frames() {
    parse("dump_stack_lvl+0x88/0xd0");
    assertThat(p.frame).isTrue();
    assertThat(p.strong).isTrue();
    assertThat(p.function).isEqualTo("dump_stack_lvl");
    assertThat(p.offset).isEqualTo(0x88);
    assertThat(p.size).isEqualTo(0xd0);
    assertThat(p.unreliable).isFalse();
    parse("? __pfx_srcu_gp_start_if_needed+0x10/0x10");
    assertThat(p.unreliable).isTrue();
    assertThat(p.function).isEqualTo("__pfx_srcu_gp_start_if_needed");
    parse("ieee80211_rx_napi+0xc2/0xd0 [mac80211]");
    assertThat(p.module).isEqualTo("mac80211");
    parse("mark_lock_irq.cold+0x33/0xba");
    assertThat(p.function).isEqualTo("mark_lock_irq.cold");
  }

  @Test
  void oldAddressedFrames() {
    parse("[<ffffffff8103f19c>] ? warn_slowpath_fmt+0x4c/0x50");
    assertThat(p.function).isEqualTo("warn_slowpath_fmt");
    assertThat(p.unreliable).isTrue();
    parse("[<00002b2d76ab98a9>]");
    assertThat(p.frame).isTrue();
    assertThat(p.function).isEqualTo("0x00002b2d76ab98a9");
    parse("[<8e83a6dc>] 0x8e83a6dc");
    assertThat(p.function).isEqualTo("0x8e83a6dc");
    parse("[<c0013b28>] (unwind_backtrace+0x0/0xf8) from [<c00118d8>] (show_stack+0x10/0x14)");
    assertThat(p.function).isEqualTo("unwind_backtrace");
    assertThat(p.size).isEqualTo(0xf8);
  }

  @Test
  void arm64AndSymbolizedFrames() {
    parse("show_stack+0x18/0x24 (C)");
    assertThat(p.function).isEqualTo("show_stack");
    assertThat(p.offset).isEqualTo(0x18);
    parse("show_stack");
    assertThat(p.frame).isTrue();
    assertThat(p.strong).isFalse(); // a bare name counts only inside a trace
    parse("__run_hrtimer kernel/time/hrtimer.c:1685 [inline]");
    assertThat(p.strong).isTrue();
    assertThat(p.function).isEqualTo("__run_hrtimer");
    assertThat(p.module).isNull();
    parse("do_raw_spin_lock (include/linux/nmi.h:35 kernel/locking/spinlock_debug.c:119)");
    assertThat(p.strong).isTrue();
    assertThat(p.offset).isEqualTo(-1);
  }

  @Test
  void newArmUnwinder() {
    parse("dump_stack_lvl from mark_lock.part.0+0x59c/0x93c");
    assertThat(p.function).isEqualTo("dump_stack_lvl");
    assertThat(p.offset).isEqualTo(-1);
    assertThat(p.fromFunction).isEqualTo("mark_lock.part.0");
    assertThat(p.fromOffset).isEqualTo(0x59c);
    assertThat(p.fromSize).isEqualTo(0x93c);
  }

  @Test
  void proseAndCodeAreNotFrames() {
    parse("Thread not rescheduled for 36 jiffies");
    assertThat(p.frame).isFalse();
    parse("lock(&dev->mode_config.mutex);");
    assertThat(p.frame).isFalse();
    parse("include/linux/rcupdate.h:594 rcu_read_lock() used illegally while idle!");
    assertThat(p.frame).isFalse();
    parse("ffff88813b9c84d0 (&dev->mode_config.mutex){+.+.}-{4:4}, at: drm_helper (x.c:1)");
    assertThat(p.frame).isFalse();
    parse("Code: 48 89 c7");
    assertThat(p.frame).isFalse();
  }

  @Test
  void damagedFramesAreMalformed() {
    parse("__lock_acquire+0x9b5/0x25g0");
    assertThat(p.frame).isFalse();
    assertThat(p.malformed).isTrue();
    assertThat(p.reason).isEqualTo("malformed frame offset");
    parse("[<ffffffffzz>] foo+0x1/0x2");
    assertThat(p.malformed).isTrue();
  }

  @Test
  void sectionMarkers() {
    byte[] b = " <EOI>  [<ffffffff810fde68>] ? set_pageblock_migratetype+0x28/0x30".trim().getBytes(StandardCharsets.UTF_8);
    p.marker(b, 0, b.length);
    assertThat(p.marker).isEqualTo(FrameParser.EOI);
    p.parse(b, p.afterMarker, b.length);
    assertThat(p.function).isEqualTo("set_pageblock_migratetype");
    for (String[] m : new String[][] {{"<IRQ>", "1"}, {"</IRQ>", "2"}, {"<NMI>", "4"}, {"</NMI>", "5"}, {"<TASK>", "6"},
        {"</TASK>", "7"}, {"<SOFTIRQ>", "8"}, {"</SOFTIRQ>", "9"}, {"<#DF>", "10"}, {"<<EOE>>", "5"}}) {
      byte[] x = m[0].getBytes(StandardCharsets.UTF_8);
      p.marker(x, 0, x.length);
      assertThat(p.marker).as(m[0]).isEqualTo(Integer.parseInt(m[1]));
    }
    byte[] scenario = "<Interrupt>".getBytes(StandardCharsets.UTF_8);
    p.marker(scenario, 0, scenario.length);
    assertThat(p.marker).isEqualTo(FrameParser.NO_MARKER);
  }
}
