package dev.cutout.cli;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cutout} command. */
@Command(
    name = "cutout",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Removes the background from photos, on this machine.",
    subcommands = {
      RemoveCommand.class,
      ServeCommand.class,
      ModelsCommand.class,
      BenchCommand.class,
      BenchLoadCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests that run it in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CutoutException c) {
            commandLine.getErr().println("cutout: " + c.getMessage() + hint(c.code()));
            return ExitCodes.of(c.code());
          }
          throw e;
        });
    return cli;
  }

  /**
   * What to do about a library error, in the command line's words (the library names no command).
   */
  static String hint(ErrorCode code) {
    return switch (code) {
      case MODEL_NOT_INSTALLED -> " (run: cutout models install)";
      case MODEL_CORRUPT -> " (run: cutout models install --force)";
      default -> "";
    };
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cutout " + (v == null ? "(development build)" : v)};
    }
  }
}
