package org.kreplay.report.render.html;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium} package) run as a command: dump a page's DOM after
 * its scripts ran, or take a screenshot. Found on the PATH, or named by {@code KREPLAY_CHROMIUM}.
 */
final class Chromium {
  static final long TIMEOUT_SECONDS = 60;
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

  /** What one run printed: the DOM (for --dump-dom) and the browser's log, console messages included. */
  record Run(String stdout, String log) {
    /** Console messages the page produced ("Uncaught Error: …", CSP refusals, console.error). */
    List<String> consoleMessages() {
      return log.lines().filter(l -> l.contains(":CONSOLE")).toList();
    }
  }

  private final Path executable;
  private final Path profiles;

  private Chromium(Path executable, Path profiles) {
    this.executable = executable;
    this.profiles = profiles;
  }

  /** The browser, or null when none is installed (or KREPLAY_CHROMIUM names no executable). */
  static Chromium find(Path profiles) {
    String named = System.getenv("KREPLAY_CHROMIUM");
    if (named != null && !named.isBlank()) {
      return Files.isExecutable(Path.of(named)) ? new Chromium(Path.of(named), profiles) : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : NAMES) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return new Chromium(p, profiles);
      }
    }
    return null;
  }

  Path executable() {
    return executable;
  }

  Run dumpDom(Path page) throws IOException, InterruptedException {
    return run("--window-size=1280,2000", "--dump-dom", page.toUri().toString());
  }

  Run screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    return run("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars",
        page.toUri().toString());
  }

  private Run run(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(profiles, "profile");
    Path out = profile.resolve("stdout");
    Path log = profile.resolve("stderr");
    List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless=new",
        "--no-sandbox", // CI runs as root, where the sandbox cannot start
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-default-apps", "--mute-audio", "--user-data-dir=" + profile.resolve("data"),
        "--enable-logging=stderr", "--v=0"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + stderr);
    }
    return new Run(stdout, stderr);
  }
}
