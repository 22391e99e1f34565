package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in catalog loads and answers; a user file overrides it; a bad file names its line. */
class CatalogTest {
  private static final Catalog BUILTIN = Catalog.builtin();

  @Test
  void theBuiltInCatalogKnowsTheCoreKernelAndEveryEntryCitesItsSource() throws IOException {
    assertThat(BUILTIN.lockClassCount()).isGreaterThan(150);
    assertThat(BUILTIN.lockType("&rq->__lock")).isEqualTo(LockType.RAW_SPINLOCK);
    assertThat(BUILTIN.lockType("&rq->__lock/1")).as("subclass suffix").isEqualTo(LockType.RAW_SPINLOCK);
    assertThat(BUILTIN.lockType("rcu_read_lock")).isEqualTo(LockType.RCU);
    assertThat(BUILTIN.lockType("&zone->lock")).isEqualTo(LockType.SPINLOCK);
    assertThat(BUILTIN.lockType("&mm->mmap_lock")).isEqualTo(LockType.RWSEM);
    assertThat(BUILTIN.lockType("no_such_lock_class")).isNull();
    assertThat(BUILTIN.hrtimerCallback("inactive_task_timer").mode()).isEqualTo(CatalogTypes.HrtimerMode.HARD);
    assertThat(BUILTIN.irqWorkHard("rb_wake_up_waiters")).isFalse();
    assertThat(BUILTIN.skipFrame("_raw_spin_lock_irqsave")).isTrue();
    assertThat(BUILTIN.skipFrame("inactive_task_timer")).isFalse();
    assertThat(BUILTIN.function("kmem_cache_free").effect()).isEqualTo(CatalogTypes.Effect.FREE);
    assertThat(BUILTIN.function("_raw_spin_lock_irqsave").irq()).isEqualTo(CatalogTypes.IrqMode.SAVE);
    assertThat(BUILTIN.function("irq_work_queue").mechanism()).isEqualTo(Mechanism.IRQ_WORK);
    assertThat(BUILTIN.enqueues("irq_work_queue_on", Mechanism.IRQ_WORK)).isTrue();
    assertThat(BUILTIN.runsIrqWorkCallbacks("irq_work_single")).isTrue();
    assertThat(BUILTIN.runsIrqWorkCallbacks("run_irq_workd")).as("a thread, not a direct caller").isFalse();
    assertThat(BUILTIN.schedulerCore("finish_task_switch")).isTrue();
    assertThat(BUILTIN.gfpAllowsBlocking("GFP_KERNEL|__GFP_ZERO")).isTrue();
    assertThat(BUILTIN.gfpAllowsBlocking("GFP_ATOMIC|__GFP_ZERO")).isFalse();
    assertThat(BUILTIN.skipReason("_raw_spin_lock_irqsave")).isEqualTo(CatalogTypes.SkipReason.LOCKING);
    assertThat(BUILTIN.probeFrame("kprobe_trace_func")).as("a kprobe handler's frame").isTrue();
    assertThat(BUILTIN.probeFrame("rt_spin_lock")).isFalse();
    assertThat(BUILTIN.tracingFrame("kprobe_dispatcher")).as("never a culprit or part of a chain").isTrue();
    assertThat(BUILTIN.contentionBegin(CatalogTypes.ContentionFlag.RT).irqsOff()).as("rt_mutex wait_lock: raw_spin_lock_irqsave").isTrue();
    assertThat(BUILTIN.contentionBegin(CatalogTypes.ContentionFlag.RT).preempt()).isEqualTo(1);
    assertThat(BUILTIN.contentionBegin(CatalogTypes.ContentionFlag.MUTEX).preempt()).as("preempt_disable() + wait_lock").isEqualTo(2);
    assertThat(BUILTIN.contentionBegin(CatalogTypes.ContentionFlag.SPIN)).isNull();
    // every entry of the shipped file names where in the kernel it comes from
    String yaml = new String(Catalog.class.getResourceAsStream("/org/kreplay/analyze/catalog.yaml").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    long entries = yaml.lines().filter(l -> l.startsWith("  - name:") || l.startsWith("  - flag:")).count();
    long sources = yaml.lines().filter(l -> l.startsWith("    source:")).count();
    assertThat(sources).isEqualTo(entries).isGreaterThan(450);
  }

  @Test
  void aUserFileAddsAndOverridesEntries(@TempDir Path dir) throws IOException {
    Path user = dir.resolve("mine.yaml");
    Files.writeString(user, String.join("\n",
        "schema_version: 1",
        "lock_classes:",
        "  - {name: \"&ACCESS_PRIVATE(sdp, lock)\", type: raw_spinlock_t, source: \"my tree\"}",
        "  - {name: \"&mydev->lock\", type: spinlock_t, source: \"drivers/mydev.c\"}",
        "skip_frames:",
        "  - {name: mydev_, match: prefix, why: locking}",
        ""));
    Catalog c = Catalog.builtinWith(List.of(user));
    assertThat(c.lockType("&ACCESS_PRIVATE(sdp, lock)")).isEqualTo(LockType.RAW_SPINLOCK);
    assertThat(BUILTIN.lockType("&ACCESS_PRIVATE(sdp, lock)")).isEqualTo(LockType.SPINLOCK);
    assertThat(c.lockType("&mydev->lock")).isEqualTo(LockType.SPINLOCK);
    assertThat(c.skipFrame("mydev_lock_hw")).isTrue();
    assertThat(c.files()).containsExactly("built-in catalog", user.toString());
  }

  private static String error(Path dir, String... lines) throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, String.join("\n", lines) + "\n");
    try {
      Catalog.builtinWith(List.of(f));
    } catch (Catalog.CatalogException e) {
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("org.kreplay");
      return e.getMessage().substring(f.toString().length());
    }
    throw new AssertionError("no error for " + String.join("|", lines));
  }

  @Test
  void badFilesNameTheLineOfTheEntry(@TempDir Path dir) throws IOException {
    assertThat(error(dir, "schema_version: 1", "lock_classes:", "  - name: a", "    type: spinlock_t",
        "  - name: b", "    typ: spinlock_t"))
        .isEqualTo(":5: lock_classes[1]: unknown field 'typ' (known: name, type, source, match, note)");
    assertThat(error(dir, "schema_version: 1", "functions:", "  - {name: f, effect: lock}", "  - {name: g, effect: explode}"))
        .startsWith(":4: functions[1]: function 'g': unknown effect 'explode' (known: ");
    assertThat(error(dir, "schema_version: 1", "hrtimer_callbacks:", "  - {name: t, mode: FAST}"))
        .isEqualTo(":3: hrtimer_callbacks[0]: hrtimer callback 't': mode must be HARD, SOFT or plain");
    assertThat(error(dir, "schema_version: 2")).isEqualTo(":1: schema_version 2 is not 1");
    assertThat(error(dir, "lock_classes: []")).isEqualTo(": schema_version missing (it is 1)");
    assertThat(error(dir, "schema_version: 1", "locks: []")).startsWith(":2: unknown section 'locks' (known: ");
    assertThat(error(dir, "schema_version: 1", "lock_classes:", "  - {type: raw_spinlock_t}"))
        .isEqualTo(":3: lock_classes[0]: missing name");
    // mis-indented: YAML folds the second item into a plain scalar continuation; a has no type
    assertThat(error(dir, "schema_version: 1", "lock_classes:", "  - name: a", "   - name: b"))
        .isEqualTo(":3: lock_classes[0]: missing type of a");
  }

  @Test
  void aBadFileChangesNothing(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("half.yaml");
    Files.writeString(f, "schema_version: 1\nlock_classes:\n  - {name: \"&rq->__lock\", type: mutex}\n"
        + "  - {name: x, type: nonsense}\n");
    assertThatThrownBy(() -> Catalog.builtinWith(List.of(f))).isInstanceOf(Catalog.CatalogException.class);
    assertThat(BUILTIN.lockType("&rq->__lock")).isEqualTo(LockType.RAW_SPINLOCK);
  }
}
