/** The promise's value, or `fallback` once ms have passed (the promise is left to settle on its own). */
export async function settleWithin<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise.catch(() => fallback), expired]);
  } finally {
    clearTimeout(timer);
  }
}
