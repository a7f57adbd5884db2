/**
 * The part of a BullMQ job the processors use. Both a live `Job` and the proxy BullMQ hands to a
 * sandboxed processor satisfy it, so the same code runs in-process (tests) and sandboxed (workers).
 */
export interface JobHandle<Data = unknown> {
  readonly id?: string;
  readonly name: string;
  readonly data: Data;
  readonly attemptsMade: number;
  readonly opts: { attempts?: number };
  readonly queueQualifiedName: string;
  updateData(data: Data): Promise<void>;
  updateProgress(progress: number | object): Promise<void>;
  log(row: string): Promise<unknown>;
  moveToWaitingChildren(token: string, opts?: { child?: { id: string; queue: string } }): Promise<boolean>;
  getChildrenValues<T = unknown>(): Promise<Record<string, T>>;
  getIgnoredChildrenFailures(): Promise<Record<string, string>>;
}
