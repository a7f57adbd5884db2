import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import type { JobCounts, JobStatus, QueueAdapterOptions } from "@bull-board/api/typings/app";
import { Job, type Queue } from "bullmq";
import { runIdOfJobId } from "./queue-names.js";

/**
 * Bull Board's view of the queue with one row per run: only the `train` jobs (`run-YYYYMMDDHH`) are listed and
 * counted. A run's `grow` shards are its children: Bull Board shows them in the run's flow view, not as rows of
 * their own (6 runs of 4 shards were 30 rows over 3 pages). Jobs are told apart by id, so listing reads ids
 * only and loads just the page's jobs.
 */
export class RunsOnlyAdapter extends BullMQAdapter {
  constructor(
    private readonly runsQueue: Queue,
    options: Partial<QueueAdapterOptions>,
  ) {
    super(runsQueue, options);
  }

  override async getJobCounts(): Promise<JobCounts> {
    const counts: Record<string, number> = {};
    for (const status of this.getJobStatuses()) counts[status] = (await this.runIds(status)).length;
    return counts as JobCounts;
  }

  override async getJobs(jobStatuses: JobStatus[], start = 0, end = -1): Promise<Job[]> {
    const ids: string[] = [];
    for (const status of jobStatuses) {
      const runs = await this.runIds(status);
      ids.push(...runs.slice(start, end < 0 ? undefined : end + 1));
    }
    const jobs = await Promise.all([...new Set(ids)].map((id) => Job.fromId(this.runsQueue, id)));
    return jobs.filter((job): job is Job => job !== undefined && job !== null);
  }

  /** The ids of the train jobs in a state, newest first (as Bull Board lists them). */
  private async runIds(status: JobStatus): Promise<string[]> {
    const ids = await this.runsQueue.getRanges([status as Parameters<Queue["getRanges"]>[0][number]], 0, -1, false);
    return ids.filter((id) => runIdOfJobId(id) !== null);
  }
}
