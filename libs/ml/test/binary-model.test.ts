import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { describe, it } from "node:test";
import { featureImportances } from "../src/model/importances.js";
import { predict, predictProba } from "../src/model/predict.js";
import { serializeModel } from "../src/model/serialize.js";
import { trainForest } from "../src/forest/forest.js";
import type { ForestModel } from "../src/model/model.js";
import {
  BinaryForestWriter,
  ModelFormatError,
  compactForestOf,
  encodeBinaryModel,
  forestImportances,
  mergeBinaryShards,
  predictForest,
  predictForestProba,
  readBinaryForest,
  readForest,
  treeArraysOf,
} from "../src/index.js";
import { friedman1, threeClasses } from "./forest-fixtures.js";

function concat(pieces: Iterable<Uint8Array>): Uint8Array {
  return new Uint8Array(Buffer.concat([...pieces]));
}

/** The bytes as a stream of `size`-byte chunks: readers must not depend on how the bytes arrive. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const regressionData = friedman1(600, 11, 0.08);
const classificationData = threeClasses(600, 12, 0.08);
const regression = await trainForest(regressionData, { nEstimators: 7, seed: 3 }, { threads: 1 });
const classification = await trainForest(classificationData, { nEstimators: 7, seed: 4 }, { threads: 1 });

for (const [name, model, data] of [
  ["regression", regression, regressionData],
  ["classification", classification, classificationData],
] as const) {
  describe(`canopy.forest/2 round trip (${name}, with missing values)`, () => {
    it("predicts exactly the trained model's doubles and importances, from any chunking", async () => {
      const bytes = concat(encodeBinaryModel(model));
      for (const size of [1, 7, 4096, bytes.length]) {
        const forest = await readForest(chunked(bytes, size), "model.canopy");
        assert.equal(forest.storedAs, "canopy.forest/2");
        if (model.task === "regression") assert.deepEqual(predictForest(forest, data.columns), predict(model, data.columns));
        else {
          assert.deepEqual(predictForest(forest, data.columns), predict(model, data.columns));
          const proba = predictForestProba(forest, data.columns);
          assert.deepEqual(proba, Float64Array.from(predictProba(model, data.columns).flatMap((row) => Array.from(row))));
        }
        assert.deepEqual(forestImportances(forest), featureImportances(model));
      }
    });

    it("keeps every array of the trained trees that it stores (leaf values, thresholds, links, missing directions)", async () => {
      const forest = await readBinaryForest(chunked(concat(encodeBinaryModel(model, { nodeStats: true })), 1 << 16), "model.canopy");
      const width = model.task === "regression" ? 1 : 3;
      forest.trees.forEach((stored, t) => {
        const trained = model.trees[t];
        const back = treeArraysOf(stored, width);
        for (const key of ["feature", "threshold", "missingLeft", "left", "right", "weight", "impurity"] as const) {
          const expected = key === "threshold" ? trained.threshold.map((v, i) => (trained.feature[i] < 0 ? 0 : v)) : trained[key];
          assert.deepEqual(back[key], expected, `tree ${t} ${key}`);
        }
        for (let node = 0; node < trained.nodeCount; node++) {
          if (trained.feature[node] >= 0) continue;
          assert.deepEqual(
            back.value.subarray(node * width, node * width + width),
            trained.value.subarray(node * width, node * width + width),
          );
        }
      });
    });

    it("writes the same bytes again after a read (node statistics kept), and the same bytes as the in-memory compact form", async () => {
      const bytes = concat(encodeBinaryModel(model, { nodeStats: true }));
      const forest = await readBinaryForest(chunked(bytes, 999), "model.canopy");
      const width = model.task === "regression" ? 1 : 3;
      const again = concat(
        encodeBinaryModel({ ...forest.header, trees: forest.trees.map((tree) => treeArraysOf(tree, width)) }, { nodeStats: true }),
      );
      assert.equal(sha256(again), sha256(bytes));
      const compact = compactForestOf(model);
      assert.deepEqual(predictForest(compact, data.columns), predictForest(await readForest(chunked(bytes, 1 << 20), "m"), data.columns));
    });
  });
}

describe("canopy.forest/2 shards", () => {
  it("merges shards grown apart into the bytes of the whole forest written at once", async () => {
    const whole = concat(encodeBinaryModel(regression));
    const ranges = [
      [0, 3],
      [3, 5],
      [5, 7],
    ];
    const shards = await Promise.all(
      ranges.map(async ([treeStart, treeEnd]) => {
        const part = await trainForest(regressionData, { nEstimators: 7, seed: 3 }, { threads: 1, treeStart, treeEnd });
        return { treeStart, treeEnd, bytes: concat(encodeBinaryModel(part)) };
      }),
    );
    const merged: Uint8Array[] = [];
    // Given out of order: the merge sorts by range.
    for await (const piece of mergeBinaryShards(
      [shards[2], shards[0], shards[1]].map((s) => ({ ...s, open: () => chunked(s.bytes, 333) })),
    ))
      merged.push(piece);
    assert.equal(sha256(concat(merged)), sha256(whole));
  });

  it("refuses shards that leave a gap or come from another training", async () => {
    const a = await trainForest(regressionData, { nEstimators: 7, seed: 3 }, { threads: 1, treeStart: 0, treeEnd: 3 });
    const c = await trainForest(regressionData, { nEstimators: 7, seed: 3 }, { threads: 1, treeStart: 5, treeEnd: 7 });
    const other = await trainForest(regressionData, { nEstimators: 7, seed: 99 }, { threads: 1, treeStart: 3, treeEnd: 7 });
    const shard = (m: ForestModel) => ({
      treeStart: m.treeStart,
      treeEnd: m.treeEnd,
      open: () => chunked(concat(encodeBinaryModel(m)), 1 << 16),
    });
    const drain = async (shards: ReturnType<typeof shard>[]) => {
      for await (const piece of mergeBinaryShards(shards)) void piece;
    };
    await assert.rejects(drain([shard(a), shard(c)]), /shard \[5, 7\) does not follow|gap|\[3, 5\)/);
    await assert.rejects(drain([shard(a), shard(other)]), /trained differently/);
  });
});

describe("canopy.forest/2 damage", () => {
  const bytes = concat(encodeBinaryModel(regression));
  const read = (damaged: Uint8Array) => readForest(chunked(damaged, 4096), "s3://b/m/model.canopy");
  const treeOffset = (index: number) => {
    // Walk the sections: magic, HEAD, then TREE sections.
    let at = 8;
    for (let section = 0; section <= index + 1; section++) {
      const length = Number(new DataView(bytes.buffer, bytes.byteOffset + at + 8, 8).getBigUint64(0, true));
      if (section === index + 1) return at;
      at += 16 + length + ((8 - (length % 8)) % 8) + 8;
    }
    return at;
  };

  it("names the file and the tree whose checksum fails", async () => {
    const damaged = bytes.slice();
    damaged[treeOffset(2) + 40] ^= 0x10;
    await assert.rejects(read(damaged), (error: unknown) => {
      assert.ok(error instanceof ModelFormatError);
      assert.match(
        error.message,
        /^s3:\/\/b\/m\/model\.canopy, tree 2: checksum mismatch \(CRC-32 [0-9a-f]{8}, stored [0-9a-f]{8}\): the file is damaged$/,
      );
      return true;
    });
  });

  it("says a file cut short is truncated, wherever it is cut", async () => {
    for (const cut of [3, 20, treeOffset(1) + 5, treeOffset(4), bytes.length - 8]) {
      await assert.rejects(
        read(bytes.subarray(0, cut)),
        (error: unknown) => error instanceof ModelFormatError && /truncated/.test(error.message),
        `cut at ${cut}`,
      );
    }
  });

  it("refuses bytes that are not a model, and trailing bytes after the end", async () => {
    await assert.rejects(read(new TextEncoder().encode("id,x\n1,2\n")), /not a Canopy model/);
    await assert.rejects(read(Uint8Array.from([0x43, 0x41, 0x4e, 0x4f, 0x50, 0x59, 0x31, 0x0a, 0, 0])), /not a canopy\.forest\/2 model/);
    await assert.rejects(read(concat([bytes, new Uint8Array(24)])), /follows the end|truncated|unknown tag/);
  });

  /**
   * Tree 2 with its root's right link moved by `shift`, its checksum made right again: damage the CRC cannot see
   * (a bug in a writer, or bytes forged), which the structure check must.
   */
  const withRootLinkMoved = (shift: number) => {
    const damaged = bytes.slice();
    const section = treeOffset(2);
    const view = new DataView(damaged.buffer, damaged.byteOffset);
    const length = Number(view.getBigUint64(section + 8, true));
    const payload = section + 16;
    const n = view.getUint32(payload + 4, true);
    // Payload: 16-byte prelude, split f64[n], importances f64[10 features], optional weight and impurity f64[n], right
    // i32[n], feature u16 or u32 [n], missing bits. Which options this writer used follows from the length.
    const option = [0, 16 * n].flatMap((stats) => [2, 4].map((featureBytes) => ({ stats, featureBytes })));
    const layout = option.find(({ stats, featureBytes }) => 16 + 8 * n + 80 + stats + 4 * n + featureBytes * n + ((n + 7) >> 3) === length);
    assert.ok(layout, "tree 2's section length fits no layout");
    const right = payload + 16 + 8 * n + 80 + layout.stats;
    view.setInt32(right, view.getInt32(right, true) + shift, true);
    view.setUint32(payload + length + ((8 - (length % 8)) % 8), crc32(damaged.subarray(payload, payload + length)), true);
    return damaged;
  };

  it("names the tree and node whose links do not make a tree, when the checksum holds", async () => {
    await assert.rejects(read(withRootLinkMoved(1)), (error: unknown) => {
      assert.ok(error instanceof ModelFormatError);
      assert.match(error.message, /^s3:\/\/b\/m\/model\.canopy, tree 2, node \d+: the nodes are not a tree in depth-first pre-order/);
      return true;
    });
    await assert.rejects(
      read(withRootLinkMoved(-1_000_000)),
      /^ModelFormatError: s3:\/\/b\/m\/model\.canopy, tree 2, node 0: right child -\d+ is not in \[2, \d+\)$/,
    );
    // The same bytes with the link left alone read back (the surgery itself is sound).
    assert.equal((await read(withRootLinkMoved(0))).trees.length, 7);
  });

  it("refuses a header that lies about its trees", async () => {
    const writer = new BinaryForestWriter({ ...regression, treeEnd: 7 });
    const pieces = [writer.start(), ...regression.trees.slice(0, 6).map((tree) => writer.add(tree))];
    await assert.rejects(read(concat(pieces)), /truncated/);
  });
});

describe("canopy.forest/2 size and the JSON model", () => {
  it("stores a regression forest in under 16 bytes per node", async () => {
    const data = friedman1(5000, 21);
    const model = await trainForest(data, { nEstimators: 5, seed: 1 }, { threads: 1 });
    const nodes = model.trees.reduce((sum, tree) => sum + tree.nodeCount, 0);
    const bytes = concat(encodeBinaryModel(model)).length;
    assert.ok(bytes / nodes < 16, `${(bytes / nodes).toFixed(2)} bytes per node`);
    assert.ok(bytes / nodes > 14, "the format's own floor is 14.125 bytes per node");
  });

  it("still reads and predicts canopy.forest/1 (JSON) models", async () => {
    const text = serializeModel(regression);
    const forest = await readForest(chunked(new TextEncoder().encode(text), 500), "model.json");
    assert.equal(forest.storedAs, "canopy.forest/1");
    assert.deepEqual(predictForest(forest, regressionData.columns), predict(regression, regressionData.columns));
  });
});
