package org.kreplay.analyze.internal.rules;

import static org.kreplay.analyze.internal.rules.LockUsage.WRITE_BITS;
import static org.kreplay.analyze.internal.rules.LockUsage.flag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.LockType;

/**
 * lockdep's dependency graph between lock classes, as a mergeable value: an edge A → B means B
 * was taken while A was held (nearest held lock in the same irq context), labelled with lockdep's
 * dependency types (-(ER)->, -(EN)->, -(SR)->, -(SN)->: whether A was held exclusively or shared,
 * and whether B was a recursive reader); per class the irq usage bits (used in hardirq/softirq,
 * taken with them enabled, read or write). Searches follow lockdep's "strong path" rule
 * (kernel/locking/lockdep.c __bfs(): a -(*R)-> followed by -(S*)-> does not make a path).
 *
 * <p>Memory is bounded by classes and edges ({@link #MAX_CLASSES}, {@link #MAX_EDGES}), not by
 * how often they occur.
 */
public final class LockGraph implements java.io.Serializable {
  public static final int MAX_CLASSES = 1 << 16;
  public static final int MAX_EDGES = 1 << 20;

  // Dependency bits (lockdep DEP_*_BIT): index = (prev exclusive) + 2 * (next non-recursive).
  public static final int DEP_SR = 1;
  public static final int DEP_ER = 1 << 1;
  public static final int DEP_SN = 1 << 2;
  public static final int DEP_EN = 1 << 3;

  /** A lock class: name, type, irq usage and where each usage was first seen. */
  public static final class LockClass {
    final int id;
    final String name;
    LockType type;
    int usage;
    final Evidence[] usageEvidence = new Evidence[8];
    final List<Edge> after = new ArrayList<>(2);
    final List<Edge> before = new ArrayList<>(2);

    LockClass(int id, String name, LockType type) {
      this.id = id;
      this.name = name;
      this.type = type;
    }

    public String name() {
      return name;
    }

    public LockType type() {
      return type;
    }

    public int usage() {
      return usage;
    }

    public Evidence usageEvidence(int bit) {
      return usageEvidence[bit];
    }
  }

  /** An edge prev → next with its dependency bits and where it was first seen. */
  public static final class Edge {
    final LockClass prev;
    final LockClass next;
    int forward;
    int backward;
    Evidence evidence;

    Edge(LockClass prev, LockClass next) {
      this.prev = prev;
      this.next = next;
    }

    public LockClass prev() {
      return prev;
    }

    public LockClass next() {
      return next;
    }

    /** DEP_* bits in the forward direction. */
    public int dep() {
      return forward;
    }

    /** Where this dependency was first seen. */
    public Evidence evidence() {
      return evidence;
    }
  }

  // Transient: the graph travels (kreplay-spark) in writeObject's flat form, not as nested objects.
  private transient Map<String, LockClass> byName = new HashMap<>();
  private transient List<LockClass> classes = new ArrayList<>();
  private transient Map<Long, Edge> edges = new HashMap<>();
  private long droppedEdges;

  /** The class with this name, created on first use (null once {@link #MAX_CLASSES} are known). */
  public LockClass lockClass(String name, LockType type) {
    LockClass c = byName.get(name);
    if (c != null) {
      if (c.type == LockType.UNKNOWN && type != LockType.UNKNOWN) c.type = type;
      return c;
    }
    if (classes.size() >= MAX_CLASSES) return null;
    c = new LockClass(classes.size(), name, type);
    byName.put(name, c);
    classes.add(c);
    return c;
  }

  /**
   * Classes whose type neither the trace nor the catalog states, by name: their wait-context and
   * sleeping checks were skipped, which a report must say (add them with --catalog).
   */
  public List<String> unknownTypeClasses() {
    List<String> names = new ArrayList<>();
    for (LockClass c : classes) {
      if (c.type == LockType.UNKNOWN) names.add(c.name);
    }
    java.util.Collections.sort(names);
    return names;
  }

  /**
   * The chain of dependencies by which {@code from} was seen taken before {@code to} (directly or
   * through other locks), or an empty list if it never was (or either class is unknown).
   */
  public List<Edge> dependencyPath(String from, String to) {
    LockClass a = byName.get(from);
    LockClass b = byName.get(to);
    if (a == null || b == null || a == b) return List.of();
    Path p = bfs(a, false, true, false, (c, onlyXr) -> c == b);
    return p == null ? List.of() : p.edges();
  }

  /** Number of lock classes seen. */
  public int classCount() {
    return classes.size();
  }

  public LockClass find(String name) {
    return byName.get(name);
  }

  public List<LockClass> classes() {
    return java.util.Collections.unmodifiableList(classes);
  }

  /** The edges from {@code c}: the classes taken while it was held. */
  public List<Edge> after(LockClass c) {
    return java.util.Collections.unmodifiableList(c.after);
  }

  public int edgeCount() {
    return edges.size();
  }

  public Edge edge(LockClass prev, LockClass next) {
    return edges.get(key(prev, next));
  }

  /** Edges not recorded because the graph was full. */
  public long droppedEdges() {
    return droppedEdges;
  }

  private static long key(LockClass prev, LockClass next) {
    return ((long) prev.id << 32) | (next.id & 0xffffffffL);
  }

  /** Forward dependency bit of prev (read 0/1/2) → next (read 0/1/2). */
  public static int forwardDep(int prevRead, int nextRead) {
    return 1 << ((prevRead == 0 ? 1 : 0) + (nextRead != 2 ? 2 : 0));
  }

  /** The same edge's bit as lockdep stores it in the backward list (__calc_dep_bitb). */
  static int backwardDep(int prevRead, int nextRead) {
    return 1 << ((nextRead != 2 ? 1 : 0) + (prevRead == 0 ? 2 : 0));
  }

  /**
   * Records prev → next; returns the edge, or null if the graph is full. New dependency types of an
   * existing edge are added; the evidence stays that of the first sighting.
   */
  public Edge addEdge(LockClass prev, LockClass next, int prevRead, int nextRead, Evidence evidence) {
    long k = key(prev, next);
    Edge e = edges.get(k);
    if (e == null) {
      if (edges.size() >= MAX_EDGES) {
        droppedEdges++;
        return null;
      }
      e = new Edge(prev, next);
      e.evidence = evidence;
      edges.put(k, e);
      prev.after.add(e);
      next.before.add(e);
    }
    e.forward |= forwardDep(prevRead, nextRead);
    e.backward |= backwardDep(prevRead, nextRead);
    return e;
  }

  // ---- searches

  /** Result of a search: the path from the root to the matching class, as edges. */
  public record Path(LockClass target, List<Edge> edges) {}

  private interface Match {
    boolean test(LockClass c, boolean onlyXr);
  }

  /**
   * lockdep's __bfs(): breadth first along strong paths; each class is visited once (first
   * arrival), as in the kernel. {@code skipPerCpu} skips local locks and everything behind them
   * (usage_skip()).
   */
  private Path bfs(LockClass root, boolean rootOnlyXr, boolean forward, boolean skipPerCpu, Match match) {
    boolean[] visited = new boolean[classes.size()];
    LockClass[] queue = new LockClass[classes.size() + 1];
    boolean[] onlyXr = new boolean[classes.size()];
    Edge[] via = new Edge[classes.size()];
    int head = 0;
    int tail = 0;
    queue[tail++] = root;
    visited[root.id] = true;
    onlyXr[root.id] = rootOnlyXr;
    if (!(skipPerCpu && root.type.isPerCpu()) && match.test(root, rootOnlyXr)) {
      return new Path(root, List.of());
    }
    if (skipPerCpu && root.type.isPerCpu()) return null;
    while (head < tail) {
      LockClass c = queue[head++];
      for (Edge e : forward ? c.after : c.before) {
        LockClass n = forward ? e.next : e.prev;
        if (visited[n.id]) continue;
        int dep = forward ? e.forward : e.backward;
        if (onlyXr[c.id]) dep &= ~(DEP_SR | DEP_SN);
        if (dep == 0) continue;
        visited[n.id] = true;
        boolean nOnlyXr = (dep & (DEP_SN | DEP_EN)) == 0;
        onlyXr[n.id] = nOnlyXr;
        via[n.id] = e;
        if (skipPerCpu && n.type.isPerCpu()) continue;
        if (match.test(n, nOnlyXr)) return new Path(n, path(via, root, n, forward));
        queue[tail++] = n;
      }
    }
    return null;
  }

  private static List<Edge> path(Edge[] via, LockClass root, LockClass target, boolean forward) {
    List<Edge> p = new ArrayList<>();
    for (LockClass c = target; c != root; ) {
      Edge e = via[c.id];
      p.add(e);
      c = forward ? e.prev : e.next;
    }
    java.util.Collections.reverse(p);
    return p;
  }

  /**
   * check_noncircular(): adding prev → next closes a cycle if a strong path next → … → prev
   * exists that conflicts (prev taken exclusively, or the path does not end in a recursive read).
   */
  public Path findCycle(LockClass prev, int prevRead, LockClass next, int nextRead) {
    return bfs(next, nextRead == 2, true, false,
        (c, onlyXr) -> c == prev && (prevRead == 0 || !onlyXr));
  }

  /** usage_accumulate() over the backward subgraph of {@code prev}: the irq usages of everything behind it. */
  public int accumulateBackward(LockClass prev, int prevRead) {
    int[] mask = {0};
    bfs(prev, prevRead != 0, false, true, (c, onlyXr) -> {
      mask[0] |= onlyXr ? c.usage & WRITE_BITS : c.usage;
      return false;
    });
    return mask[0];
  }

  /** find_usage_forwards(): a class reachable from {@code root} with a usage in {@code mask}. */
  public Path findUsageForward(LockClass root, int rootRead, int mask) {
    return bfs(root, rootRead == 2, true, true, (c, onlyXr) -> usageMatch(c, onlyXr, mask));
  }

  /** find_usage_backwards(): a class {@code root} is reachable from with a usage in {@code mask}. */
  public Path findUsageBackward(LockClass root, int rootRead, int mask) {
    return bfs(root, rootRead != 0, false, true, (c, onlyXr) -> usageMatch(c, onlyXr, mask));
  }

  private static boolean usageMatch(LockClass c, boolean onlyXr, int mask) {
    return ((onlyXr ? c.usage & WRITE_BITS : c.usage) & mask) != 0;
  }

  /** Sets a usage bit; returns whether it is new. */
  public boolean setUsage(LockClass c, int bit, Evidence evidence) {
    if ((c.usage & flag(bit)) != 0) return false;
    c.usage |= flag(bit);
    c.usageEvidence[bit] = evidence;
    return true;
  }

  // ---- merging

  /**
   * Adds another graph's classes, usages and edges. Returns the edges that are new here, so the
   * caller can look for cycles and irq inversions that only the union of both graphs contains.
   */
  public List<Edge> merge(LockGraph other) {
    List<Edge> added = new ArrayList<>();
    for (LockClass oc : other.classes) {
      LockClass c = lockClass(oc.name, oc.type);
      if (c == null) continue;
      for (int bit = 0; bit < 8; bit++) {
        if ((oc.usage & flag(bit)) != 0) setUsage(c, bit, oc.usageEvidence[bit]);
      }
    }
    for (Edge oe : other.edges.values()) {
      LockClass p = byName.get(oe.prev.name);
      LockClass n = byName.get(oe.next.name);
      if (p == null || n == null) continue;
      long k = key(p, n);
      Edge e = edges.get(k);
      if (e == null) {
        if (edges.size() >= MAX_EDGES) {
          droppedEdges++;
          continue;
        }
        e = new Edge(p, n);
        e.evidence = oe.evidence;
        edges.put(k, e);
        p.after.add(e);
        n.before.add(e);
        added.add(e);
      }
      e.forward |= oe.forward;
      e.backward |= oe.backward;
    }
    droppedEdges += other.droppedEdges;
    return added;
  }

  // ---- travelling (kreplay-spark)

  /**
   * Flat: classes in order, then edges in the order the map iterates them, then each class's edge
   * lists. A graph of nested objects would recurse as deep as its longest path; and merging walks
   * the map, so the copy must iterate its edges in the same order to merge the same way.
   */
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
    out.writeInt(classes.size());
    for (LockClass c : classes) {
      out.writeObject(c.name);
      out.writeObject(c.type);
      out.writeInt(c.usage);
      out.writeObject(c.usageEvidence);
    }
    out.writeInt(edges.size());
    for (Edge e : edges.values()) {
      out.writeInt(e.prev.id);
      out.writeInt(e.next.id);
      out.writeInt(e.forward);
      out.writeInt(e.backward);
      out.writeObject(e.evidence);
    }
    for (LockClass c : classes) {
      out.writeInt(c.after.size());
      for (Edge e : c.after) out.writeInt(e.next.id);
      out.writeInt(c.before.size());
      for (Edge e : c.before) out.writeInt(e.prev.id);
    }
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    int classCount = in.readInt();
    byName = new HashMap<>();
    classes = new ArrayList<>(classCount);
    for (int i = 0; i < classCount; i++) {
      LockClass c = new LockClass(i, (String) in.readObject(), (LockType) in.readObject());
      c.usage = in.readInt();
      Evidence[] evidence = (Evidence[]) in.readObject();
      System.arraycopy(evidence, 0, c.usageEvidence, 0, c.usageEvidence.length);
      byName.put(c.name, c);
      classes.add(c);
    }
    int edgeCount = in.readInt();
    // the capacity the original grew to by puts alone: entries inserted in its order then iterate in it
    int capacity = 16;
    while (edgeCount > capacity * 3 / 4) capacity <<= 1;
    edges = new HashMap<>(capacity);
    for (int i = 0; i < edgeCount; i++) {
      Edge e = new Edge(classes.get(in.readInt()), classes.get(in.readInt()));
      e.forward = in.readInt();
      e.backward = in.readInt();
      e.evidence = (Evidence) in.readObject();
      edges.put(key(e.prev, e.next), e);
    }
    for (LockClass c : classes) {
      for (int n = in.readInt(); n > 0; n--) c.after.add(edges.get(key(c, classes.get(in.readInt()))));
      for (int n = in.readInt(); n > 0; n--) c.before.add(edges.get(key(classes.get(in.readInt()), c)));
    }
  }

  /** All edges, for reports. */
  public List<Edge> edges() {
    List<Edge> list = new ArrayList<>(edges.values());
    list.sort((a, b) -> a.prev.name.equals(b.prev.name) ? a.next.name.compareTo(b.next.name) : a.prev.name.compareTo(b.prev.name));
    return list;
  }

  @Override
  public String toString() {
    return "LockGraph[" + classes.size() + " classes, " + edges.size() + " edges]";
  }
}
