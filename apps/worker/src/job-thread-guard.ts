import { Child } from "bullmq";

let installed: ((error: Error) => void) | null = null;

/**
 * BullMQ runs each job in a worker thread (a sandboxed processor) and re-emits the thread's `error` event on its
 * Child object, where nothing listens: a thread that runs out of heap (ERR_WORKER_OUT_OF_MEMORY) would take the whole
 * worker process down, with its Redis connections and every other job. With this listener the error is reported
 * once, the thread's exit fails its job (BullMQ: "Unexpected exit code"), and the process takes the next job.
 */
export function guardJobThreads(onError: (error: Error) => void): void {
  const first = installed === null;
  installed = onError;
  if (!first) return;
  const init = Child.prototype.init;
  Child.prototype.init = async function (this: Child): Promise<void> {
    this.on("error", (error: Error) => installed?.(error));
    return await init.call(this);
  };
}
