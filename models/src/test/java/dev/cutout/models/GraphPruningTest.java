package dev.cutout.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pruning pass on small hand-built graphs; the real models are covered by ModelRewriteTest. */
class GraphPruningTest {

  @Test
  void keepsOnlyTheNodesAndInitializersTheOutputNeeds() {
    byte[] model =
        model(
            graph(
                node("Relu", "x", "a"),
                node("Mul", "a", "w", "b"),
                node("Neg", "a", "side"),
                node("Sigmoid", "side", "side_out"),
                initializer("w"),
                initializer("unused_by_b"),
                output("b"),
                output("side_out")));

    GraphPruning.Result result = GraphPruning.keepOnly(model, "b");

    assertThat(result.nodesBefore()).isEqualTo(4);
    assertThat(result.nodesAfter()).isEqualTo(2);
    assertThat(result.outputsBefore()).isEqualTo(2);
    assertThat(result.initializersDropped()).isEqualTo(1);
    assertThat(result.model())
        .isEqualTo(
            model(
                graph(
                    node("Relu", "x", "a"),
                    node("Mul", "a", "w", "b"),
                    initializer("w"),
                    output("b"))));
  }

  @Test
  void refusesAnOutputTheModelDoesNotHave() {
    byte[] model = model(graph(node("Relu", "x", "y"), output("y")));
    assertThatThrownBy(() -> GraphPruning.keepOnly(model, "mask"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no output 'mask'")
        .hasMessageContaining("[y]");
  }

  @Test
  void refusesGraphsWithSubgraphsRatherThanMissTheirInputs() {
    byte[] branch = graph(node("Identity", "outer", "inner"), output("inner"));
    byte[] ifNode =
        message(
            field(1, "cond"),
            field(2, "y"),
            field(4, "If"),
            field(5, message(field(1, "then_branch"), field(6, branch))));
    byte[] model = model(graph(field(1, ifNode), output("y")));
    assertThatThrownBy(() -> GraphPruning.keepOnly(model, "y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subgraphs");
  }

  @Test
  void refusesBytesThatAreNotAModel() {
    byte[] notAModel = "definitely not protobuf".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> GraphPruning.keepOnly(notAModel, "output"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an ONNX model");
  }

  // ModelProto{ir_version = 1: 8, graph = 7}; GraphProto{node = 1, initializer = 5, output = 12};
  // NodeProto{input = 1, output = 2, op_type = 4}; TensorProto{name = 8}; ValueInfoProto{name = 1}.

  private static byte[] model(byte[] graph) {
    return message(new byte[] {0x08, 0x08}, field(7, graph));
  }

  private static byte[] graph(byte[]... fields) {
    return message(fields);
  }

  /** The last name is the node's output, the others its inputs. */
  private static byte[] node(String op, String... names) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < names.length - 1; i++) {
      out.writeBytes(field(1, names[i]));
    }
    out.writeBytes(field(2, names[names.length - 1]));
    out.writeBytes(field(4, op));
    return field(1, out.toByteArray());
  }

  private static byte[] initializer(String name) {
    return field(5, message(field(8, name), new byte[] {0x10, 0x01}));
  }

  private static byte[] output(String name) {
    return field(12, field(1, name));
  }

  private static byte[] field(int number, String value) {
    return field(number, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] field(int number, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Protobuf.writeLengthDelimited(out, number, payload);
    return out.toByteArray();
  }

  private static byte[] message(byte[]... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : fields) {
      out.writeBytes(f);
    }
    return out.toByteArray();
  }
}
