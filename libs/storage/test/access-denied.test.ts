import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { startS3, type TestS3 } from "@canopy/testkit";
import { StorageError, openStore } from "../src/index.js";
import { createS3Client } from "../src/s3.js";

/**
 * moto checks IAM policies once its authentication is on: a user allowed only to read gets AWS's
 * real AccessDenied, which the store must report with the URL and what to check.
 */
describe("access denied by an IAM policy (moto with authentication)", () => {
  const bucket = "canopy-denied";
  let server: TestS3;
  let readOnly: S3Client;

  before(async () => {
    // Five unauthenticated requests to set the scene; everything after them is checked.
    server = await startS3({ authenticateAfter: 5 });
    const admin = { endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    const s3 = new S3Client({ ...admin, forcePathStyle: true });
    const iam = new IAMClient(admin);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data/input.csv", Body: "a,y\n1,2\n" }));
    await iam.send(new CreateUserCommand({ UserName: "reader" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "reader" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "reader",
        PolicyName: "read-data",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["s3:GetObject", "s3:ListBucket"],
              Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            },
          ],
        }),
      }),
    );
    s3.destroy();
    iam.destroy();
    readOnly = createS3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
  });
  after(async () => {
    readOnly?.destroy();
    await server?.stop();
  });

  it("reads what the policy allows", async () => {
    const url = `s3://${bucket}/data/input.csv`;
    const bytes = await openStore(url, { s3Client: readOnly }).readAll(url);
    assert.equal(bytes.toString(), "a,y\n1,2\n");
  });

  it("reports a denied write as AccessDenied naming the URL", async () => {
    const url = `s3://${bucket}/models/2026/03/04/05/model.json`;
    await assert.rejects(openStore(url, { s3Client: readOnly }).write(url, "{}"), (error: unknown) => {
      assert.ok(error instanceof StorageError, String(error));
      assert.equal(error.code, "AccessDenied");
      assert.equal(error.url, url);
      assert.match(error.message, new RegExp(`^${url.replace(/[/.]/g, "\\$&")}: access denied`));
      return true;
    });
  });
});
