import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { EncodedTree } from "./encoded-tree.js";
import type { TreeArrays } from "./tree-arrays.js";
import type { GrowReply, GrowRequest, GrowSession } from "./tree-worker.js";

/** An idle pool thread exits after this long without work, releasing its tree builder's memory. */
const IDLE_EXIT_MS = 10_000;

interface Task {
  readonly session: GrowSession;
  readonly treeIndex: number;
  readonly resolve: (grown: TreeArrays | EncodedTree) => void;
  readonly reject: (error: Error) => void;
  /** Stops listening for the caller's abort once the task has left the queue. */
  forget: () => void;
}

interface PooledThread {
  readonly worker: Worker;
  /** The session whose data this thread holds (requests are handled in order, one at a time). */
  sessionId: number;
  task: Task | null;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * The process's tree-growing threads, kept from one forest to the next: a thread's compiled code stays warm (a new
 * thread grows its first trees about a fifth slower), and the shards of a run grown one after another do not each
 * start threads. Trees asked for by any number of forests are grown first come, first served (within a forest, lowest
 * tree first), one per thread at a time. An idle thread does not keep the process alive, and exits after IDLE_EXIT_MS.
 */
export class TreeThreadPool {
  private readonly threads: PooledThread[] = [];
  private readonly queue: Task[] = [];
  private nextSessionId = 1;

  /** The pool's threads (Worker.threadId), oldest first. */
  get threadIds(): number[] {
    return this.threads.map((thread) => thread.worker.threadId);
  }

  /** A new session id for a forest's training data. */
  session(data: GrowSession["data"], exactNodeSize?: number, encoding?: GrowSession["encoding"]): GrowSession {
    return { id: this.nextSessionId++, data, exactNodeSize, ...(encoding === undefined ? {} : { encoding }) };
  }

  /**
   * Grows tree `treeIndex` of the session's forest on a pool thread, with at least `threads` threads in the pool: its
   * arrays, or an EncodedTree when the session has an encoding. A task still queued when `signal` aborts is dropped
   * (its promise rejects with the abort reason).
   */
  grow(session: GrowSession, treeIndex: number, threads: number, signal?: AbortSignal): Promise<TreeArrays | EncodedTree> {
    return new Promise<TreeArrays | EncodedTree>((resolve, reject) => {
      const task: Task = { session, treeIndex, resolve, reject, forget: () => undefined };
      if (signal !== undefined) {
        const onAbort = () => {
          const at = this.queue.indexOf(task);
          if (at >= 0) {
            this.queue.splice(at, 1);
            reject(signal.reason as Error);
          }
        };
        signal.addEventListener("abort", onAbort, { once: true });
        task.forget = () => signal.removeEventListener("abort", onAbort);
      }
      this.queue.push(task);
      this.prestart(threads);
    });
  }

  /**
   * Starts threads up to `threads` now (idle ones, when nothing is queued): a process about to read its data and then
   * grow trees overlaps the threads' start (their modules' loading) with its reading.
   */
  prestart(threads: number): void {
    while (this.threads.length < threads) this.threads.push(this.start());
    this.dispatch();
  }

  private start(): PooledThread {
    const thread: PooledThread = {
      worker: new Worker(new URL("./tree-worker.js", import.meta.url)),
      sessionId: 0,
      task: null,
      idleTimer: null,
    };
    const { worker } = thread;
    worker.on("message", (reply: GrowReply) => {
      const task = thread.task;
      thread.task = null;
      if (reply.kind === "error") {
        // The thread may not hold the session's data (its builder can be what failed): the next request sends it.
        thread.sessionId = 0;
        task?.reject(new Error(`growing tree ${reply.treeIndex} failed: ${reply.message}`));
      } else task?.resolve(reply.kind === "tree" ? reply.tree : reply.encoded);
      // After the callbacks of the task's promise: a forest that asks for its next tree there gets this thread.
      queueMicrotask(() => this.dispatch());
    });
    worker.on("error", (error) => this.lose(thread, error));
    worker.on("exit", (code) => this.lose(thread, new Error(`a tree-growing thread exited (code ${code}) before its tree was grown`)));
    return thread;
  }

  /** A thread that failed or exited leaves the pool; the tree it was growing fails with the reason. */
  private lose(thread: PooledThread, error: Error): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
    const task = thread.task;
    thread.task = null;
    task?.reject(error);
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (thread.task !== null) continue;
      const task = this.takeNext();
      if (task === undefined) {
        this.idle(thread);
        continue;
      }
      if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
      thread.idleTimer = null;
      thread.task = task;
      task.forget();
      const { session } = task;
      const request: GrowRequest = {
        sessionId: session.id,
        treeIndex: task.treeIndex,
        ...(thread.sessionId === session.id ? {} : { session }),
      };
      thread.sessionId = session.id;
      thread.worker.ref();
      thread.worker.postMessage(request);
    }
  }

  /**
   * The oldest task's forest, its lowest tree first: the shards of one run asked for two at a time (runInProcess)
   * then finish in tree order, so the first are merged while the last grow, and no thread waits between shards.
   */
  private takeNext(): Task | undefined {
    const queue = this.queue;
    if (queue.length === 0) return undefined;
    const session = queue[0].session;
    let at = 0;
    for (let i = 1; i < queue.length; i++) {
      if (queue[i].session === session && queue[i].treeIndex < queue[at].treeIndex) at = i;
    }
    return queue.splice(at, 1)[0];
  }

  private idle(thread: PooledThread): void {
    if (thread.idleTimer !== null) return;
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => {
      thread.idleTimer = null;
      if (thread.task !== null) return;
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
      thread.worker.removeAllListeners("exit");
      void thread.worker.terminate();
    }, IDLE_EXIT_MS);
    thread.idleTimer.unref();
  }
}

/** The pool every forest of this process (or worker thread) grows on. */
export const treeThreads = new TreeThreadPool();

/** Starts the tree threads a forest grown next will use (one per core by default), while the data is being read. */
export function prestartTreeThreads(threads = availableParallelism()): void {
  if (threads > 1) treeThreads.prestart(threads);
}
