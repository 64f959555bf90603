package dev.cutout.cli;

import java.io.PrintWriter;

/** A progress bar on a terminal; nothing extra otherwise (each image already gets a line). */
final class Progress {
  private static final int WIDTH = 28;

  private final PrintWriter err;
  private final boolean terminal;
  private final int total;
  private final long start = System.nanoTime();
  private int done;

  Progress(PrintWriter err, boolean terminal, int total) {
    this.err = err;
    this.terminal = terminal;
    this.total = total;
  }

  /** Prints a finished image's line, then redraws the bar under it. */
  void line(String text) {
    if (terminal) {
      err.print("\r\033[K");
    }
    err.println(text);
    draw();
  }

  void advance() {
    done++;
    draw();
  }

  void finish() {
    if (terminal && total > 0) {
      err.print("\r\033[K");
      err.flush();
    }
  }

  private void draw() {
    if (!terminal || total <= 1) {
      err.flush();
      return;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = done / Math.max(seconds, 1e-9);
    int filled = (int) Math.round((double) done / total * WIDTH);
    String eta = done == 0 ? "--:--" : clock((total - done) / rate);
    err.printf(
        "\r[%s%s] %d/%d  %.2f img/s  ETA %s",
        "=".repeat(filled), " ".repeat(WIDTH - filled), done, total, rate, eta);
    err.flush();
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d", s / 60, s % 60);
  }

  /** Whether standard error is a terminal a bar can be redrawn on. */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null || System.getenv("CI") != null) {
      return false;
    }
    try {
      // Java 22+ reports a console even when redirected; isTerminal() says whether it is real.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only on a terminal
    }
  }
}
