import { ProtoMessage } from "./proto-writer.js";

/**
 * The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) this exporter writes.
 * Field numbers are onnx.proto's; the Python tests read every file back with the onnx package.
 */

/** TensorProto.DataType values. */
export const DataType = { UINT8: 2, INT64: 7, STRING: 8, DOUBLE: 11 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values. */
const AttributeType = { INT: 2, TENSOR: 4, INTS: 7 } as const;

export interface Tensor {
  readonly name?: string;
  readonly dims: readonly number[];
  readonly dataType: DataTypeId;
  /** Little-endian element bytes (numeric types). */
  readonly raw?: Uint8Array;
  /** STRING tensors. */
  readonly strings?: readonly string[];
}

export type Attribute =
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly ints: ArrayLike<number> }
  | { readonly name: string; readonly tensor: Tensor };

export interface Node {
  readonly opType: string;
  readonly domain?: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: readonly Attribute[];
}

/** A graph input or output: a tensor whose dimensions are numbers or named symbols (such as "N"). */
export interface ValueInfo {
  readonly name: string;
  readonly elemType: DataTypeId;
  readonly dims: readonly (number | string)[];
  readonly doc?: string;
}

export interface Graph {
  readonly name: string;
  readonly nodes: readonly Node[];
  readonly initializers: readonly Tensor[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

export interface Model {
  readonly irVersion: number;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly doc: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly graph: Graph;
}

/** Little-endian bytes of a typed array (the engines this runs on are little-endian). */
export function littleEndianBytes(values: Float64Array | BigInt64Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function encodeTensor(tensor: Tensor): ProtoMessage {
  const message = new ProtoMessage();
  for (const dim of tensor.dims) message.int(1, dim);
  message.int(2, tensor.dataType);
  for (const text of tensor.strings ?? []) message.string(6, text);
  if (tensor.name !== undefined) message.string(8, tensor.name);
  if (tensor.raw !== undefined) message.bytes(9, tensor.raw);
  return message;
}

function encodeAttribute(attribute: Attribute): ProtoMessage {
  const message = new ProtoMessage().string(1, attribute.name);
  if ("int" in attribute) return message.int(20, AttributeType.INT).int(3, attribute.int);
  if ("ints" in attribute) return message.int(20, AttributeType.INTS).packedInts(8, attribute.ints);
  return message.int(20, AttributeType.TENSOR).message(5, encodeTensor(attribute.tensor));
}

function encodeNode(node: Node): ProtoMessage {
  const message = new ProtoMessage();
  for (const input of node.inputs) message.string(1, input);
  for (const output of node.outputs) message.string(2, output);
  message.string(3, node.name).string(4, node.opType);
  for (const attribute of node.attributes ?? []) message.message(5, encodeAttribute(attribute));
  if (node.domain !== undefined) message.string(7, node.domain);
  return message;
}

function encodeValueInfo(info: ValueInfo): ProtoMessage {
  const shape = new ProtoMessage();
  for (const dim of info.dims) {
    const dimension = typeof dim === "number" ? new ProtoMessage().int(1, dim) : new ProtoMessage().string(2, dim);
    shape.message(1, dimension);
  }
  const tensorType = new ProtoMessage().int(1, info.elemType).message(2, shape);
  const message = new ProtoMessage().string(1, info.name).message(2, new ProtoMessage().message(1, tensorType));
  if (info.doc !== undefined) message.string(3, info.doc);
  return message;
}

function encodeGraph(graph: Graph): ProtoMessage {
  const message = new ProtoMessage();
  for (const node of graph.nodes) message.message(1, encodeNode(node));
  message.string(2, graph.name);
  for (const tensor of graph.initializers) message.message(5, encodeTensor(tensor));
  for (const input of graph.inputs) message.message(11, encodeValueInfo(input));
  for (const output of graph.outputs) message.message(12, encodeValueInfo(output));
  return message;
}

/** The ModelProto as byte pieces (join them, or write them one after another). */
export function encodeModel(model: Model): ProtoMessage {
  const message = new ProtoMessage()
    .int(1, model.irVersion)
    .string(2, model.producerName)
    .string(3, model.producerVersion)
    .string(6, model.doc)
    .message(7, encodeGraph(model.graph));
  for (const opset of model.opsets) message.message(8, new ProtoMessage().string(1, opset.domain).int(2, opset.version));
  for (const [key, value] of Object.entries(model.metadata)) message.message(14, new ProtoMessage().string(1, key).string(2, value));
  return message;
}
