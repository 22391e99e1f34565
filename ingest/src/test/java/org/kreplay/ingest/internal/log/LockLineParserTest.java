package org.kreplay.ingest.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.internal.Symbols;
import org.kreplay.ingest.log.LockLine;

/** lockdep's print_lock() lines in their current and older shapes. */
class LockLineParserTest {
  private final LockLineParser p = new LockLineParser(new Symbols());

  private LockLine parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return p.parse(b, 0, b.length);
  }

  @Test
  void heldLockWithWaitTypes() {
    LockLine l = parse("#3: ffff888075975038 (&mark->lock){+.+.}-{2:2}, at: spin_lock include/linux/spinlock.h:349 [inline]");
    assertThat(l.index()).isEqualTo(3);
    assertThat(l.instance()).isEqualTo("ffff888075975038");
    assertThat(l.className()).isEqualTo("&mark->lock");
    assertThat(l.usage()).isEqualTo("+.+.");
    assertThat(l.outerWait()).isEqualTo(2);
    assertThat(l.innerWait()).isEqualTo(2);
    assertThat(l.at()).isEqualTo("spin_lock include/linux/spinlock.h:349 [inline]");
    assertThat(l.atFunction()).isEqualTo("spin_lock");
  }

  @Test
  void outerAndInnerAreKeptApart() {
    LockLine rcu = parse("#1: c105e7c4 (rcu_read_lock){....}-{1:2}, at: ndisc_send_skb+0x134/0x81c");
    assertThat(rcu.outerWait()).isEqualTo(1);
    assertThat(rcu.innerWait()).isEqualTo(2);
  }

  @Test
  void oldLinesWithoutInstanceOrWaitTypes() {
    LockLine l = parse(" (&sb->s_type->i_mutex_key#19){+.+.+.}, at: [<ffffffffa04b609d>] xfs_file_buffered_aio_write+0x6d/0x320 [xfs]");
    assertThat(l.instance()).isNull();
    assertThat(l.outerWait()).isEqualTo(-1);
    assertThat(l.usage()).isEqualTo("+.+.+.");
    assertThat(l.baseName()).isEqualTo("&sb->s_type->i_mutex_key");
    assertThat(l.version()).isEqualTo(19);
    assertThat(l.atFunction()).isEqualTo("xfs_file_buffered_aio_write");
    LockLine hashed = parse("#0: (____ptrval____) (rcu_read_lock){....}, at: call_break_hook+0x0/0x178");
    assertThat(hashed.instance()).isEqualTo("(____ptrval____)");
    assertThat(hashed.className()).isEqualTo("rcu_read_lock");
  }

  @Test
  void classNamesWithParenthesesSpacesAndSubclasses() {
    assertThat(parse("#0: c1001e18 ((&ndev->rs_timer)){+.-.}-{0:0}, at: call_timer_fn+0x0/0x33c").className())
        .isEqualTo("(&ndev->rs_timer)");
    assertThat(parse("((work_completion)(&(&w->work)->work)){+.+.}-{0:0}, at: x").className())
        .isEqualTo("(work_completion)(&(&w->work)->work)");
    assertThat(parse("#4: c3056174 (dev->qdisc_tx_busylock ?: &qdisc_tx_busylock){+...}-{2:2}, at: f").className())
        .isEqualTo("dev->qdisc_tx_busylock ?: &qdisc_tx_busylock");
    LockLine sub = parse(" (&pipe->mutex/1){+.+.+.}, at: [<ffffffff8126ca7d>] pipe_lock+0x1d/0x20");
    assertThat(sub.subclass()).isEqualTo(1);
    assertThat(sub.baseName()).isEqualTo("&pipe->mutex");
    LockLine both = parse("(&type->s_umount_key#25/1){+.+.}-{3:3}, at: f");
    assertThat(both.version()).isEqualTo(25);
    assertThat(both.subclass()).isEqualTo(1);
    assertThat(both.baseName()).isEqualTo("&type->s_umount_key");
  }

  @Test
  void chainHeadersAndDependencyBlocks() {
    LockLine chain = parse("-> #4 (cpu_hotplug.lock#2){+.+.+.}:");
    assertThat(chain.index()).isEqualTo(4);
    assertThat(chain.className()).isEqualTo("cpu_hotplug.lock#2");
    assertThat(chain.at()).isNull();
    LockLine block = parse("-> (&group->lock){..-.}-{2:2} {");
    assertThat(block.index()).isEqualTo(-1);
    assertThat(block.className()).isEqualTo("&group->lock");
  }

  @Test
  void damagedLines() {
    assertThat(parse("ffffffff827ab0b0 (pci_bus_sem){++++-{3:3}, at: x")).isNull();
    assertThat(p.malformed).isEqualTo("malformed lock usage");
    assertThat(parse("x (a){+.+.}-{2:z}, at: y")).isNull();
    assertThat(p.malformed).isEqualTo("malformed lock wait types");
    assertThat(parse("no lock here")).isNull();
    assertThat(p.malformed).isNull();
  }
}
