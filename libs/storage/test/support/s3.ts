import { CreateBucketCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { startS3 } from "@canopy/testkit";
import type { TestS3 } from "@canopy/testkit";
import { createS3Client } from "../../src/s3.js";

/** A moto server whose endpoint and dummy credentials are put in process.env, as a deployment would. */
export interface S3Fixture {
  readonly server: TestS3;
  readonly client: S3Client;
  /** Creates a fresh bucket and returns its name. */
  bucket(prefix?: string, options?: { versioned?: boolean }): Promise<string>;
  dispose(): Promise<void>;
}

let buckets = 0;

export async function startS3Fixture(): Promise<S3Fixture> {
  const server = await startS3();
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(server.env)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const client = createS3Client();
  return {
    server,
    client,
    async bucket(prefix = "canopy-test", options = {}) {
      const name = `${prefix}-${process.pid}-${++buckets}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      if (options.versioned) {
        await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
      }
      return name;
    },
    async dispose() {
      client.destroy();
      await server.stop();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
