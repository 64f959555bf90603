import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Times one ONNX Runtime version on ISNet and writes its outputs, so that run.sh can compare two
 * versions in alternating processes. Uses only the ONNX Runtime jar on the class path: the input
 * tensor comes from a plain Java2D resize, identical for both versions.
 *
 * <p>Arguments: MODEL_FILE THREADS RUNS OUT_FILE IMAGE...
 */
public class OrtVersionBench {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long start = System.nanoTime();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      try (OrtSession session = env.createSession(Files.readAllBytes(model), options);
          DataOutputStream dump =
              new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
        double sessionMs = (System.nanoTime() - start) / 1e6;
        List<Double> times = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
          FloatBuffer tensor = tensorOf(ImageIO.read(Path.of(args[i]).toFile()));
          float[] probabilities = null;
          for (int r = 0; r < runs; r++) {
            long t = System.nanoTime();
            try (OnnxTensor input =
                    OnnxTensor.createTensor(env, tensor.rewind(), new long[] {1, 3, 1024, 1024});
                OrtSession.Result result =
                    session.run(Map.of("input", input), Set.of("output"))) {
              FloatBuffer values = ((OnnxTensor) result.get("output").get()).getFloatBuffer();
              probabilities = new float[values.remaining()];
              values.get(probabilities);
            }
            if (r > 0) { // the first run of each image pays for warm-up
              times.add((System.nanoTime() - t) / 1e6);
            }
          }
          for (float p : probabilities) {
            dump.writeFloat(p);
          }
        }
        times.sort(null);
        System.out.printf(
            "version %s session %.0f ms median run %.0f ms (%d runs)%n",
            env.getVersion(), sessionMs, times.get(times.size() / 2), times.size());
      }
    }
  }

  private static FloatBuffer tensorOf(BufferedImage image) {
    BufferedImage scaled = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, 1024, 1024, null);
    g.dispose();
    FloatBuffer tensor = FloatBuffer.allocate(3 * 1024 * 1024);
    int plane = 1024 * 1024;
    for (int y = 0; y < 1024; y++) {
      for (int x = 0; x < 1024; x++) {
        int rgb = scaled.getRGB(x, y);
        int i = y * 1024 + x;
        tensor.put(i, ((rgb >> 16) & 0xff) / 255f - 0.5f);
        tensor.put(plane + i, ((rgb >> 8) & 0xff) / 255f - 0.5f);
        tensor.put(2 * plane + i, (rgb & 0xff) / 255f - 0.5f);
      }
    }
    return tensor;
  }
}
