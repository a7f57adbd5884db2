import type { TableSource } from "@canopy/ml";
import { openPinned, readPinnedRange, type InputPin } from "@canopy/storage";

/**
 * The pinned objects as the sources loadDatasetFrom reads: every read (the whole object, or a Parquet footer and
 * row groups by range) gets exactly the pinned version, and fails with code `Changed` naming the object otherwise.
 */
export function tableSourcesOf(pins: readonly InputPin[]): TableSource[] {
  return pins.map((pin) => ({
    name: pin.url,
    size: pin.size,
    open: () => openPinned(pin),
    readRange: (start: number, end: number) => readPinnedRange(pin, start, end),
  }));
}
