package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Field declarations and print formats as the kernel writes them in format files (trace-formats.md §2.3). */
class FormatParserTest {
  static EventFormat parse(String fields, String printFmt) throws DatException {
    String text = "name: test_event\nID: 999\nformat:\n"
        + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
        + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
        + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
        + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
        + fields + "\nprint fmt: " + printFmt + "\n";
    EventFormat f = FormatParser.header("test", text, 0);
    assertThat(f.parse(8)).isNull();
    return f;
  }

  @Test
  void declarations() throws DatException {
    EventFormat f = parse(
        "\tfield:unsigned long caller[8];\toffset:8;\tsize:64;\tsigned:0;\n"
            + "\tfield:__data_loc char[] name;\toffset:72;\tsize:4;\tsigned:0;\n"
            + "\tfield:__rel_loc char[] msg;\toffset:76;\tsize:4;\tsigned:0;\n"
            + "\tfield:char comm[TASK_COMM_LEN];\toffset:80;\tsize:16;\tsigned:0;\n"
            + "\tfield:const char * str;\toffset:96;\tsize:8;\tsigned:0;\n"
            + "\tfield:s64 now;\toffset:104;\tsize:8;\tsigned:1;\n"
            + "\tfield:u32 buf[];\toffset:112;\tsize:0;\tsigned:0;",
        "\"x\"");
    FieldFormat caller = f.field("caller");
    assertThat(caller.array).isTrue();
    assertThat(caller.arrayLength).isEqualTo(8);
    assertThat(caller.elementSize).isEqualTo(8);
    assertThat(f.field("name").dataLoc).isTrue();
    assertThat(f.field("name").string).isTrue();
    assertThat(f.field("msg").relLoc).isTrue();
    FieldFormat comm = f.field("comm");
    assertThat(comm.string).isTrue();
    assertThat(comm.arrayLength).as("an unexpanded macro: length unknown").isZero();
    assertThat(comm.size).isEqualTo(16);
    assertThat(f.field("str").pointer).isTrue();
    assertThat(f.field("str").array).isFalse();
    assertThat(f.field("now").signed).isTrue();
    assertThat(f.field("buf").array).isTrue();
    assertThat(f.field("buf").size).isZero();
    assertThat(f.field("common_pid").offset).isEqualTo(4);
    // The flexible and fixed arrays at the end may be cut short by a record; scalars may not.
    assertThat(f.minLength).isEqualTo(112);
  }

  @Test
  void printFormatDecidesSymbolsAndPointers() throws DatException {
    EventFormat f = parse(
        "\tfield:void * hrtimer;\toffset:8;\tsize:8;\tsigned:0;\n"
            + "\tfield:void * function;\toffset:16;\tsize:8;\tsigned:0;\n"
            + "\tfield:s64 expires;\toffset:24;\tsize:8;\tsigned:1;\n"
            + "\tfield:unsigned long call_site;\toffset:32;\tsize:8;\tsigned:0;\n"
            + "\tfield:unsigned int flags;\toffset:40;\tsize:4;\tsigned:0;\n"
            + "\tfield:unsigned int mask;\toffset:44;\tsize:4;\tsigned:0;\n"
            + "\tfield:__data_loc char[] name;\toffset:48;\tsize:4;\tsigned:0;",
        "\"hrtimer=%p function=%ps expires=%llu site=%pS flags=%s mask=0x%x name=%s\", REC->hrtimer, "
            + "REC->function, (unsigned long long) REC->expires, (void *)REC->call_site, "
            + "__print_flags(REC->flags, \"|\", { 1, \"A\" }), REC->mask, __get_str(name)");
    assertThat(f.field("hrtimer").hint).isEqualTo(FieldFormat.Hint.POINTER);
    assertThat(f.field("function").hint).isEqualTo(FieldFormat.Hint.SYMBOL);
    assertThat(f.field("expires").hint).isEqualTo(FieldFormat.Hint.DECIMAL);
    assertThat(f.field("call_site").hint).isEqualTo(FieldFormat.Hint.SYMBOL_OFFSET);
    assertThat(f.field("flags").hint).as("an expression, not a plain field").isEqualTo(FieldFormat.Hint.NONE);
    assertThat(f.field("mask").hint).isEqualTo(FieldFormat.Hint.HEX);
  }

  @Test
  void relativeLocationCountsFromTheEndOfItsField() throws Exception {
    EventFormat f = parse("\tfield:__rel_loc char[] msg;\toffset:8;\tsize:4;\tsigned:0;\n"
        + "\tfield:__data_loc char[] abs;\toffset:12;\tsize:4;\tsigned:0;", "\"%s\", __get_rel_str(msg)");
    byte[] rec = new byte[32];
    // msg: 6 bytes ("hello\0") at 16, i.e. 4 bytes after the end of its field (8 + 4);
    // abs: 3 bytes ("ok\0") at 22, counted from the record's start.
    Endian.LITTLE.put32(rec, 8, (6 << 16) | 4);
    System.arraycopy("hello\0".getBytes(), 0, rec, 16, 6);
    Endian.LITTLE.put32(rec, 12, (3 << 16) | 22);
    System.arraycopy("ok\0".getBytes(), 0, rec, 22, 3);
    DatFile file = SyntheticTraceDatTest.reader("x", SyntheticTraceDatTest.recorded("date-v7-zstd")).file();
    TextOut out = new TextOut();
    EventRenderer r = new EventRenderer(file);
    f.shape = EventRenderer.Shape.GENERIC;
    r.render(f, rec, 0, rec.length, out);
    assertThat(out.toString()).isEqualTo("msg=hello abs=ok");
  }

  @Test
  void headerPageGivesTheKernelWordSize() throws DatException {
    String hp64 = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
        + "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
        + "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
        + "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";
    assertThat(FormatParser.headerPage(hp64, 8, 0).commitSize).isEqualTo(8);
    assertThat(FormatParser.headerPage(hp64, 8, 0).dataOffset).isEqualTo(16);
    String hp32 = hp64.replace("size:8;\tsigned:1", "size:4;\tsigned:1").replace("offset:16;\tsize:4080", "offset:12;\tsize:4084");
    assertThat(FormatParser.headerPage(hp32, 8, 0).commitSize).isEqualTo(4);
    assertThat(FormatParser.headerPage(hp32, 8, 0).dataOffset).isEqualTo(12);
  }
}
