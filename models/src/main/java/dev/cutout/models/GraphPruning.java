package dev.cutout.models;

import static dev.cutout.models.OnnxFields.*;
import static dev.cutout.models.Protobuf.LENGTH_DELIMITED;
import static dev.cutout.models.Protobuf.forEachField;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts an ONNX graph down to the one output Cutout reads.
 *
 * <p>The packaged ISNet graph has twelve outputs: the final mask, five side masks from the decoder
 * stages, and six decoder feature maps. ONNX Runtime computes and keeps every graph output, so the
 * side branches cost inference time and the feature maps pin their buffers until the run ends (in
 * onnxruntime-web about a tenth of the WASM heap). This pass keeps the named output, the nodes it
 * depends on and the initializers those nodes read; everything else of the file is copied as it
 * was. The kept nodes and their order are untouched, so the output's values are too.
 */
final class GraphPruning {

  private GraphPruning() {}

  /** The pruned model and what was dropped. */
  record Result(
      byte[] model, int nodesBefore, int nodesAfter, int outputsBefore, int initializersDropped) {}

  private record Node(int keyStart, List<String> inputs, List<String> outputs) {}

  /**
   * Returns a copy of {@code model} whose graph has {@code output} as its only output.
   *
   * @throws IllegalArgumentException if the model has no such output, has subgraphs (If, Loop,
   *     Scan: their implicit inputs are not traced here), or is not an ONNX model
   */
  static Result keepOnly(byte[] model, String output) {
    int[] graph = graphOf(model);

    List<Node> nodes = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    forEachField(
        model,
        graph[0],
        graph[1],
        (field, type, key, start, end) -> {
          if (field == GRAPH_NODE && type == LENGTH_DELIMITED) {
            nodes.add(readNode(model, key, start, end));
          } else if (field == GRAPH_OUTPUT && type == LENGTH_DELIMITED) {
            outputs.add(name(model, start, end, VALUE_INFO_NAME));
          }
        });
    if (!outputs.contains(output)) {
      throw new IllegalArgumentException(
          "the model has no output '" + output + "' (it has " + outputs + ")");
    }

    Set<Node> live = liveNodes(nodes, output);
    Set<Integer> keptNodes = new HashSet<>();
    Set<String> read = new HashSet<>();
    Set<String> produced = new HashSet<>();
    for (Node node : live) {
      keptNodes.add(node.keyStart());
      read.addAll(node.inputs());
      produced.addAll(node.outputs());
    }
    read.add(output);
    int[] initializersDropped = {0};
    ByteArrayOutputStream newGraph = new ByteArrayOutputStream(graph[1] - graph[0]);
    forEachField(
        model,
        graph[0],
        graph[1],
        (field, type, key, start, end) -> {
          boolean keep =
              switch (type == LENGTH_DELIMITED ? field : -1) {
                case GRAPH_NODE -> keptNodes.contains(key);
                case GRAPH_INITIALIZER -> read.contains(name(model, start, end, TENSOR_NAME));
                case GRAPH_OUTPUT -> name(model, start, end, VALUE_INFO_NAME).equals(output);
                case GRAPH_VALUE_INFO -> {
                  String name = name(model, start, end, VALUE_INFO_NAME);
                  yield produced.contains(name) && read.contains(name);
                }
                default -> true;
              };
          if (keep) {
            newGraph.write(model, key, end - key);
          } else if (field == GRAPH_INITIALIZER) {
            initializersDropped[0]++;
          }
        });

    return new Result(
        withGraph(model, newGraph.toByteArray()),
        nodes.size(),
        live.size(),
        outputs.size(),
        initializersDropped[0]);
  }

  private static Set<Node> liveNodes(List<Node> nodes, String output) {
    Map<String, Node> producer = new HashMap<>();
    for (Node node : nodes) {
      for (String out : node.outputs()) {
        producer.put(out, node);
      }
    }
    Set<Node> live = new HashSet<>();
    Deque<String> wanted = new ArrayDeque<>(List.of(output));
    while (!wanted.isEmpty()) {
      Node node = producer.get(wanted.pop());
      if (node != null && live.add(node)) {
        node.inputs().stream().filter(name -> !name.isEmpty()).forEach(wanted::push);
      }
    }
    return live;
  }

  private static Node readNode(byte[] model, int keyStart, int start, int end) {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    forEachField(
        model,
        start,
        end,
        (field, type, key, s, e) -> {
          if (type != LENGTH_DELIMITED) {
            return;
          }
          switch (field) {
            case NODE_INPUT -> inputs.add(Protobuf.string(model, s, e));
            case NODE_OUTPUT -> outputs.add(Protobuf.string(model, s, e));
            case NODE_ATTRIBUTE -> refuseSubgraphs(model, s, e);
            default -> {}
          }
        });
    return new Node(keyStart, inputs, outputs);
  }

  private static void refuseSubgraphs(byte[] model, int start, int end) {
    forEachField(
        model,
        start,
        end,
        (field, type, key, s, e) -> {
          if (type == LENGTH_DELIMITED && (field == ATTRIBUTE_GRAPH || field == ATTRIBUTE_GRAPHS)) {
            throw new IllegalArgumentException("cannot prune a graph with subgraphs");
          }
        });
  }

  private static String name(byte[] model, int start, int end, int nameField) {
    String[] name = {""};
    forEachField(
        model,
        start,
        end,
        (field, type, key, s, e) -> {
          if (field == nameField && type == LENGTH_DELIMITED) {
            name[0] = Protobuf.string(model, s, e);
          }
        });
    return name[0];
  }
}
