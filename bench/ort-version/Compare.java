import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compares two output dumps of OrtVersionBench: max and mean absolute difference, in alpha steps. */
public class Compare {
  public static void main(String[] args) throws Exception {
    try (DataInputStream a = new DataInputStream(new BufferedInputStream(Files.newInputStream(Path.of(args[0]))));
        DataInputStream b = new DataInputStream(new BufferedInputStream(Files.newInputStream(Path.of(args[1]))))) {
      double max = 0, sum = 0;
      long n = 0, alphaDiffers = 0;
      while (true) {
        float x, y;
        try {
          x = a.readFloat();
        } catch (EOFException e) {
          break;
        }
        y = b.readFloat();
        double d = Math.abs(x - y);
        max = Math.max(max, d);
        sum += d;
        if (Math.round(255 * x) != Math.round(255 * y)) {
          alphaDiffers++;
        }
        n++;
      }
      System.out.printf(
          "values %d, max |diff| %.3g (%.3f alpha steps), mean %.3g, rounded alpha differs in %d%n",
          n, max, 255 * max, sum / n, alphaDiffers);
    }
  }
}
