// Waits for a promise at most so long: true when it settled in time, false when the time ran out first.

/** Resolves true once `promise` resolves, false after `ms` (its timer cleared either way). */
export const settledWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
};
