/**
 * A one-node ONNX model (y = Identity(x), one float) written as protobuf bytes. Creating a
 * session for it makes ONNX Runtime Web compile and start its WebAssembly (or WebGPU device)
 * while the real model is still being read or downloaded, so that the real session's creation
 * is only the model's own cost.
 *
 * Field numbers from onnx.proto: ModelProto ir_version 1, graph 7, opset_import 8;
 * OperatorSetIdProto version 2; GraphProto node 1, name 2, input 11, output 12;
 * NodeProto input 1, output 2, op_type 4; ValueInfoProto name 1, type 2; TypeProto tensor_type 1;
 * TypeProto.Tensor elem_type 1 (FLOAT = 1), shape 2; TensorShapeProto dim 1; Dimension dim_value 1.
 */
export function identityModel(): Uint8Array {
  const dim = message(1, varint(1, 1));
  const tensorType = message(1, [...varint(1, 1), ...message(2, dim)]);
  const valueInfo = (field: number, name: string) =>
    message(field, [...text(1, name), ...message(2, tensorType)]);
  const node = [...text(1, 'x'), ...text(2, 'y'), ...text(4, 'Identity')];
  const graph = [
    ...message(1, node),
    ...text(2, 'runtime-warmup'),
    ...valueInfo(11, 'x'),
    ...valueInfo(12, 'y'),
  ];
  return Uint8Array.from([...varint(1, 8), ...message(7, graph), ...message(8, varint(2, 13))]);
}

function key(field: number, wireType: number): number[] {
  return encodeVarint((field << 3) | wireType);
}

function varint(field: number, value: number): number[] {
  return [...key(field, 0), ...encodeVarint(value)];
}

function text(field: number, value: string): number[] {
  return message(field, [...new TextEncoder().encode(value)]);
}

function message(field: number, body: number[]): number[] {
  return [...key(field, 2), ...encodeVarint(body.length), ...body];
}

function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}
