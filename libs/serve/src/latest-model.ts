import { openStore, readLatest } from "@canopy/storage";
import type { ModelLoader, ServingModel } from "./serving-model.js";

export interface LatestModelEvents {
  onLoaded?(model: ServingModel, previous: ServingModel | null): void;
  onError?(error: unknown): void;
}

/**
 * The model `latest.json` at an output root names, kept current: `refresh` reads the pointer and, when it names
 * another model, loads that one beside the current one and then swaps the reference. Requests take `current` once
 * when they start, so a swap never fails a request in flight: it finishes on the model it began with.
 */
export class LatestModel {
  private model: ServingModel | null = null;
  private pointerEtag: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly root: string,
    private readonly load: ModelLoader,
    private readonly events: LatestModelEvents = {},
  ) {}

  get current(): ServingModel | null {
    return this.model;
  }

  /** Loads the model latest.json names if it changed; true when a new model was swapped in. Calls never overlap. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.reload().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Refreshes every `intervalMs` until stop(); failures are reported and the current model keeps serving. */
  watch(intervalMs: number): void {
    const tick = (): void => {
      this.refresh()
        .catch((error: unknown) => this.events.onError?.(error))
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async reload(): Promise<boolean> {
    const latest = await readLatest(openStore(this.root), this.root);
    if (latest === null) {
      if (this.model === null) throw new Error(`${this.root}: no latest.json yet (no run has been promoted at this output root)`);
      return false;
    }
    if (latest.etag === this.pointerEtag) return false;
    const { pointer } = latest;
    if (this.model !== null && this.model.sha256 === pointer.modelSha256) {
      this.pointerEtag = latest.etag;
      return false;
    }
    const next = await this.load(pointer.modelUrl, { runId: pointer.runId, sha256: pointer.modelSha256 });
    const previous = this.model;
    this.model = next;
    this.pointerEtag = latest.etag;
    this.events.onLoaded?.(next, previous);
    return true;
  }
}
