package dev.cutout.cli;

import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelInstaller;
import dev.cutout.models.ModelStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutout models install | list | verify}. */
@Command(
    name = "models",
    description = "Install, list and verify the segmentation models.",
    mixinStandardHelpOptions = true,
    subcommands = {
      ModelsCommand.Install.class,
      ModelsCommand.ListModels.class,
      ModelsCommand.Verify.class
    })
final class ModelsCommand {

  @Command(name = "install", description = "Fetch, check and install every catalogued model.")
  static final class Install implements Callable<Integer> {
    @Mixin ModelOptions models;

    @Option(names = "--force", description = "Reinstall even models that verify.")
    boolean force;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (ModelInstaller.Outcome o :
          ModelInstaller.create(models.store(), out::println).install(force)) {
        out.println(o.id() + (o.installed() ? "  installed  " : "  up to date ") + o.file());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      description = "List the catalogued models and whether they are installed.")
  static final class ListModels implements Callable<Integer> {
    @Mixin ModelOptions models;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ModelStore store = models.store();
      out.printf(
          "%-12s %-8s %-9s %12s  %-10s %s%n", "ID", "LABEL", "PRECISION", "BYTES", "STATE", "FILE");
      boolean first = true;
      for (ModelSpec m : store.catalog().models()) {
        boolean present = java.nio.file.Files.isRegularFile(store.path(m));
        out.printf(
            "%-12s %-8s %-9s %12d  %-10s %s%s%n",
            m.id(),
            m.label(),
            m.precision(),
            m.bytes(),
            present ? "installed" : "missing",
            store.path(m),
            first ? "  (default)" : "");
        first = false;
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = "Re-hash every installed model against the catalog.")
  static final class Verify implements Callable<Integer> {
    @Mixin ModelOptions models;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int bad = 0;
      for (ModelStore.Check c : models.store().verifyAll()) {
        switch (c.status()) {
          case OK -> out.println(c.model().id() + "  ok  " + c.file());
          case MISSING -> {
            bad++;
            err.println(
                c.model().id() + "  missing  " + c.file() + " (run: cutout models install)");
          }
          case MISMATCH -> {
            bad++;
            err.println(
                c.model().id()
                    + "  MISMATCH  "
                    + c.file()
                    + ": expected SHA-256 "
                    + c.model().sha256()
                    + ", found "
                    + c.actualSha256());
          }
        }
      }
      return bad == 0 ? ExitCodes.OK : ExitCodes.MODEL;
    }
  }
}
