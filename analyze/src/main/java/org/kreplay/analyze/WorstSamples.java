package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The N largest samples of a row, in a min-heap of N: memory stays N samples however long the
 * trace, and merging two keeps the N largest of both.
 */
final class WorstSamples implements java.io.Serializable {
  private final int capacity;
  /** Smallest kept first, so it is the one a larger sample replaces. */
  private transient PriorityQueue<DeferralSample> heap;

  WorstSamples(int capacity) {
    this.capacity = Math.max(0, capacity);
    this.heap = emptyHeap(this.capacity);
  }

  private static PriorityQueue<DeferralSample> emptyHeap(int capacity) {
    return new PriorityQueue<>(Math.max(1, capacity), DeferralSample.WORST_FIRST.reversed());
  }

  // The heap's comparator is a lambda, which does not travel: the samples do, and the heap is rebuilt.
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
    out.writeObject(new ArrayList<>(heap));
  }

  @SuppressWarnings("unchecked")
  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    heap = emptyHeap(capacity);
    heap.addAll((List<DeferralSample>) in.readObject());
  }

  int capacity() {
    return capacity;
  }

  /** Whether a sample of this value would be kept: checked before one is built, so most samples cost nothing. */
  boolean wants(long value) {
    if (capacity == 0) return false;
    return heap.size() < capacity || value >= heap.peek().latencyNs();
  }

  void offer(DeferralSample s) {
    if (capacity == 0) return;
    if (heap.size() < capacity) {
      heap.add(s);
    } else if (DeferralSample.WORST_FIRST.compare(s, heap.peek()) < 0) {
      heap.poll();
      heap.add(s);
    }
  }

  void addAll(WorstSamples other) {
    for (DeferralSample s : other.heap) offer(s);
  }

  /** Worst first. */
  List<DeferralSample> list() {
    List<DeferralSample> out = new ArrayList<>(heap);
    out.sort(DeferralSample.WORST_FIRST);
    return out;
  }
}
