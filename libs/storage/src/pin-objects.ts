import { pinInput, type InputPin } from "./input-pin.js";
import type { OpenStoreOptions } from "./open-store.js";

/** HEAD requests in flight while pinning a set (a day of hourly part files is hundreds of objects). */
const PIN_CONCURRENCY = 8;

/**
 * Pins every object of an input set, in the order given: URL, size, ETag and VersionId of the version that exists
 * now. Any object gone since it was listed fails with its own URL (`NoSuchKey`).
 */
export async function pinObjects(urls: readonly string[], options: OpenStoreOptions = {}): Promise<InputPin[]> {
  const pins: InputPin[] = new Array<InputPin>(urls.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < urls.length) {
      const at = next++;
      pins[at] = await pinInput(urls[at], options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PIN_CONCURRENCY, urls.length) }, lane));
  return pins;
}
