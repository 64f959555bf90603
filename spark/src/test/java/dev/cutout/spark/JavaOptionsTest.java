package dev.cutout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The pom's copy of the JVM options spark-submit adds (the test JVMs need them for local mode) is
 * the list of the Spark version the build uses: a Spark upgrade that changes the list fails here.
 */
class JavaOptionsTest {
  @Test
  void thePomsListIsSparksOwn() {
    assertThat(System.getProperty("cutout.spark.opens"))
        .isEqualTo(JavaModuleOptions.defaultModuleOptions());
  }
}
