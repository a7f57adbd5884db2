import assert from "node:assert/strict";
import { test } from "node:test";
import { ProtoMessage } from "../src/proto-writer.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

test("varints, negative int64s and nested messages use protobuf's wire encoding", () => {
  // The protobuf documentation's examples: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
  assert.equal(hex(new ProtoMessage().int(1, 150).finish()), "089601");
  assert.equal(hex(new ProtoMessage().string(2, "testing").finish()), "120774657374696e67");
  assert.equal(hex(new ProtoMessage().int(1, -1).finish()), "08ffffffffffffffffff01");
  assert.equal(hex(new ProtoMessage().int(1, 2 ** 53 + 2).finish()), hex(new ProtoMessage().int(1, 2n ** 53n + 2n).finish()));
  assert.equal(hex(new ProtoMessage().message(3, new ProtoMessage().int(1, 150)).finish()), "1a03089601");
  assert.equal(hex(new ProtoMessage().packedInts(4, [3, 270, 86942]).finish()), "2206038e029ea705");
});

test("large pieces are kept apart and joined in order", () => {
  const big = new Uint8Array(1000).map((_, i) => i % 251);
  const message = new ProtoMessage().int(1, 1).bytes(2, big).int(3, 3);
  const bytes = message.finish();
  assert.equal(bytes.length, message.byteLength);
  assert.equal(hex(bytes.subarray(0, 5)), "0801" + "12e807");
  assert.deepEqual(bytes.subarray(5, 1005), big);
  assert.equal(hex(bytes.subarray(1005)), "1803");
});
