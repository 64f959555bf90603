package dev.cutout.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens and what it serves.
 *
 * @param host the address to bind, {@code 127.0.0.1} unless told otherwise
 * @param port the port; 0 picks a free one (tests)
 * @param modelsDir the model store's folder; empty means the store's default location
 * @param webDir a folder holding the built web app (development); empty means the copy packed on
 *     the class path by the {@code web} module
 */
public record ServerConfig(String host, int port, Optional<Path> modelsDir, Optional<Path> webDir) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(modelsDir, "modelsDir");
    Objects.requireNonNull(webDir, "webDir");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** 127.0.0.1:8080, the default model store, the packed web app. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ServerConfig}; unset values take the defaults. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Path modelsDir;
    private Path webDir;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder modelsDir(Path modelsDir) {
      this.modelsDir = Objects.requireNonNull(modelsDir, "modelsDir");
      return this;
    }

    public Builder webDir(Path webDir) {
      this.webDir = Objects.requireNonNull(webDir, "webDir");
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host, port, Optional.ofNullable(modelsDir), Optional.ofNullable(webDir));
    }
  }
}
