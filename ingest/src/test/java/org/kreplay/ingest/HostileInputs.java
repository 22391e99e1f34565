package org.kreplay.ingest;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Damages real inputs the way bad disks, cut transfers and noisy consoles do; shared by the hostile-input tests. */
public final class HostileInputs {
  private HostileInputs() {}

  /** Flips, deletes, inserts and repeats bytes (about one change in 100 bytes), and sometimes cuts the end off. */
  public static byte[] mutate(byte[] data, SplittableRandom rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < data.length) {
      int op = rnd.nextInt(400);
      if (op == 0) {
        out.write(rnd.nextInt(256)); // flip
        i++;
      } else if (op == 1) {
        i += rnd.nextInt(1, 40); // delete
      } else if (op == 2) {
        byte[] junk = new byte[rnd.nextInt(1, 30)];
        rnd.nextBytes(junk);
        out.write(junk, 0, junk.length); // insert
      } else if (op == 3) {
        int from = rnd.nextInt(data.length);
        out.write(data, from, Math.min(data.length - from, rnd.nextInt(1, 200))); // repeat a piece
      } else {
        out.write(data[i++]);
      }
    }
    if (rnd.nextInt(4) == 0) return Arrays.copyOf(out.toByteArray(), rnd.nextInt(out.size() + 1)); // truncate
    return out.toByteArray();
  }
}
