package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrientationTest {
  private static final int A = 0xFF0000AA;
  private static final int B = 0xFF0000BB;
  private static final int C = 0xFF0000CC;
  private static final int D = 0xFF0000DD;

  /** Stored pixels [A B; C D]; the expected upright rows as the EXIF specification draws them. */
  @ParameterizedTest(name = "orientation {0} shows {1}")
  @CsvSource({
    "1, ABCD", // upright
    "2, BADC", // mirrored left to right
    "3, DCBA", // turned 180°
    "4, CDAB", // mirrored top to bottom
    "5, ACBD", // transposed
    "6, CADB", // turned 90° clockwise to view
    "7, DBCA", // transversed
    "8, BDAC" // turned 90° anticlockwise to view
  })
  void eachOrientationTurnsTheStoredPixelsUpright(int orientation, String expected) {
    RgbaImage stored = new RgbaImage(2, 2, new int[] {A, B, C, D}, false);
    RgbaImage upright = Orientation.apply(stored, orientation);
    int[] want =
        expected
            .chars()
            .map(
                ch ->
                    switch (ch) {
                      case 'A' -> A;
                      case 'B' -> B;
                      case 'C' -> C;
                      default -> D;
                    })
            .toArray();
    assertThat(upright.argb()).containsExactly(want);
  }

  @ParameterizedTest
  @CsvSource({"6, 3, 2", "8, 3, 2", "3, 2, 3"})
  void quarterTurnsSwapWidthAndHeight(int orientation, int width, int height) {
    RgbaImage stored = new RgbaImage(2, 3, new int[6], false);
    RgbaImage upright = Orientation.apply(stored, orientation);
    assertThat(upright.width()).isEqualTo(width);
    assertThat(upright.height()).isEqualTo(height);
  }
}
