package dev.cutout.models;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The folder holding installed model files, and the checks that they are the catalogued ones.
 *
 * <p>Its location, first match wins: the path given to {@link #at(Path)}; the environment variable
 * {@code CUTOUT_MODELS_DIR}; the system property {@code cutout.models.dir}; {@code
 * $XDG_CACHE_HOME/cutout/models}; {@code ~/.cache/cutout/models}.
 */
public final class ModelStore {
  /** The environment variable that moves the store. */
  public static final String ENV = "CUTOUT_MODELS_DIR";

  private final Path dir;
  private final ModelCatalog catalog;

  private ModelStore(Path dir, ModelCatalog catalog) {
    this.dir = dir.toAbsolutePath().normalize();
    this.catalog = catalog;
  }

  /** The store at its default location (see the class comment). */
  public static ModelStore defaultStore() {
    return new ModelStore(defaultDir(), ModelCatalog.builtIn());
  }

  /** The store at {@code dir}. */
  public static ModelStore at(Path dir) {
    return new ModelStore(dir, ModelCatalog.builtIn());
  }

  static Path defaultDir() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String property = System.getProperty("cutout.models.dir");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    return CacheDir.cutout().resolve("models");
  }

  public Path dir() {
    return dir;
  }

  public ModelCatalog catalog() {
    return catalog;
  }

  /** Where the file of {@code model} lives in this store. */
  public Path path(ModelSpec model) {
    return dir.resolve(model.file());
  }

  /** The outcome of checking one installed file. */
  public record Check(ModelSpec model, Path file, Status status, String actualSha256) {
    public boolean ok() {
      return status == Status.OK;
    }
  }

  /** What a check found. */
  public enum Status {
    OK,
    MISSING,
    MISMATCH
  }

  /** Re-hashes every catalogued file. */
  public List<Check> verifyAll() {
    List<Check> checks = new ArrayList<>();
    for (ModelSpec model : catalog.models()) {
      checks.add(verify(model));
    }
    return checks;
  }

  public Check verify(ModelSpec model) {
    Path file = path(model);
    if (!Files.isRegularFile(file)) {
      return new Check(model, file, Status.MISSING, "");
    }
    try {
      String actual = sha256(Files.readAllBytes(file));
      return new Check(
          model, file, actual.equals(model.sha256()) ? Status.OK : Status.MISMATCH, actual);
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The bytes of {@code model}'s file, after checking them against the catalog.
   *
   * @throws CutoutException MODEL_NOT_INSTALLED or MODEL_CORRUPT (naming the file and both hashes)
   */
  public byte[] load(ModelSpec model) {
    Path file = path(model);
    if (!Files.isRegularFile(file)) {
      throw new CutoutException(
          ErrorCode.MODEL_NOT_INSTALLED, "model " + model.id() + " is not installed in " + dir);
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      String actual = sha256(bytes);
      if (!actual.equals(model.sha256())) {
        throw corrupt(file, model.sha256(), actual);
      }
      return bytes;
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static CutoutException corrupt(Path file, String expected, String actual) {
    return new CutoutException(
        ErrorCode.MODEL_CORRUPT,
        "model file "
            + file
            + " does not match the catalog: expected SHA-256 "
            + expected
            + ", found "
            + actual
            + "; reinstall it");
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
