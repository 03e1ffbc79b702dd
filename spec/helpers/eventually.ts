// Waits until a condition holds (a log line was written, a follower noticed something), with a deadline.

/** 10 s: only there so that a bug fails the spec instead of hanging it. */
const DEADLINE_MS = 10_000;

/** Resolves once `condition()` is true (checked every 5 ms; it may be async); rejects naming `what` after the deadline. */
export const eventually = async (condition: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
