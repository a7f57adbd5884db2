export { forestToOnnx, forestToOnnxPieces, ONNX_INPUT, ONNX_OUTPUTS, type OnnxBytes } from "./forest-to-onnx.js";
