package org.kreplay.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The batch as a Spark job. Each file is a task; its outcome travels as bytes, keyed by the file's
 * index in path order. Then, level by level, every {@code fanout} adjacent nodes (index / fanout)
 * are grouped and merged in index order, as batch merges files one after the other, until one node
 * is left. Spark's treeAggregate would merge in whatever order partitions finish; this tree's shape
 * depends only on the number of files and the fanout, never on the partitioning or timing, so the
 * result is the same for any --partitions. Only merged nodes (and the per-file rows) travel.
 */
final class TreeMerge {
  private TreeMerge() {}

  /**
   * Analyses {@code files} in {@code partitions} partitions (one task per file when they are as
   * many) and returns their merge, rows in path order.
   */
  static Merged run(JavaSparkContext sc, List<String> files, FileTask task, int partitions, int fanout) {
    List<Tuple2<Long, String>> indexed = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) indexed.add(new Tuple2<>((long) i, files.get(i)));
    int slices = Math.max(1, Math.min(partitions, files.size()));
    LongAccumulator moved = sc.sc().longAccumulator("kreplay result bytes");
    JavaPairRDD<Long, byte[]> level = sc.parallelizePairs(indexed, slices).mapValues(f -> counted(task.analyse(f), moved));
    long nodes = files.size();
    int levels = 0;
    int worst = task.worst();
    while (nodes > 1) {
      long parents = (nodes + fanout - 1) / fanout;
      int f = fanout;
      level = level.mapToPair(t -> new Tuple2<>(t._1() / f, new Tuple2<>(t._1() % f, t._2())))
          .groupByKey((int) Math.max(1, Math.min(parents, partitions)))
          .mapValues(children -> counted(ResultCodec.encode(inOrder(children, worst)), moved));
      nodes = parents;
      levels++;
    }
    List<Tuple2<Long, byte[]>> root = level.collect();
    if (root.size() != 1) throw new IllegalStateException("the merge tree ended with " + root.size() + " nodes, not one");
    return new Merged(ResultCodec.decode(root.get(0)._2()), levels, moved.value());
  }

  /**
   * The merge of every file, how many levels of merges it took and the bytes of the results that
   * travelled (each file's and each node's, once; a retried task's twice).
   */
  record Merged(Partial root, int levels, long bytesMoved) {}

  private static byte[] counted(byte[] encoded, LongAccumulator moved) {
    moved.add(encoded.length);
    return encoded;
  }

  /** Adjacent nodes merged in index order into a fresh one; decoded one at a time. */
  static Partial inOrder(Iterable<Tuple2<Long, byte[]>> children, int worst) {
    List<Tuple2<Long, byte[]>> sorted = new ArrayList<>();
    children.forEach(sorted::add);
    sorted.sort((a, b) -> Long.compare(a._1(), b._1()));
    Partial merged = Partial.empty(worst);
    for (Tuple2<Long, byte[]> child : sorted) merged.add(ResultCodec.decode(child._2()));
    return merged;
  }
}
