package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The reason of an I/O error in the system's words, never the path java.nio puts in the message. */
class IoErrorsTest {
  @Test
  void nioExceptionsWhoseMessageIsOnlyAPathGetTheirReason() {
    String temp = "/srv/out/.report.json.1x2y3z.tmp";
    assertThat(IoErrors.reason(new AccessDeniedException(temp))).isEqualTo("permission denied");
    assertThat(IoErrors.reason(new NoSuchFileException(temp))).isEqualTo("no such file or directory");
    assertThat(IoErrors.reason(new FileSystemException(temp, null, "Is a directory"))).isEqualTo("is a directory");
    assertThat(IoErrors.reason(new FileSystemException(temp, null, "No space left on device")))
        .isEqualTo("no space left on device");
    assertThat(IoErrors.reason(new FileSystemException(temp))).doesNotContain(temp);
  }

  @Test
  void javaIoAndPlainMessagesAreLowerCasedReasons() {
    assertThat(IoErrors.reason(new FileNotFoundException("/srv/trace.txt (Permission denied)"))).isEqualTo("permission denied");
    // what FileOutputStream.write throws on a full disk
    assertThat(IoErrors.reason(new IOException("No space left on device"))).isEqualTo("no space left on device");
    assertThat(IoErrors.reason(new IOException("EOF in header"))).isEqualTo("EOF in header");
    assertThat(IoErrors.reason(new IOException())).isEqualTo("IOException");
  }

  @Test
  void problemsNameTheirPlaceAsLineOrByteOffset() {
    assertThat(InputProblem.of("t.txt", 12, "not an event line", "junk").toString()).isEqualTo("t.txt:12: not an event line: junk");
    assertThat(InputProblem.atOffset("t.dat", 1234567, "record too short", "").toString())
        .isEqualTo("t.dat: byte offset 1,234,567: record too short");
    assertThat(InputProblem.atOffset("t.dat", 0, "bad magic", "").location()).isEqualTo("t.dat: byte offset 0");
    assertThat(new InputProblem("t.txt", 0, "no such file or directory", "").toString()).isEqualTo("t.txt: no such file or directory");
  }
}
