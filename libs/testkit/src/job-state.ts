/** What waitForJobState needs of a BullMQ Queue (testkit does not depend on bullmq). */
export interface JobStates {
  getJobState(jobId: string): Promise<string>;
}

/** Polls a job until it is in one of `states`; throws naming the last state seen after timeoutMs. */
export async function waitForJobState(
  queue: JobStates,
  jobId: string,
  states: string | readonly string[],
  timeoutMs = 20_000,
): Promise<string> {
  const wanted = typeof states === "string" ? [states] : states;
  const deadline = Date.now() + timeoutMs;
  let seen = "";
  while (Date.now() < deadline) {
    seen = await queue.getJobState(jobId);
    if (wanted.includes(seen)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not become ${wanted.join(" or ")} within ${timeoutMs / 1000} s (last state: ${seen})`);
}
