// What a spec started, closed in reverse order even when the spec fails half-way (so the suite always exits).

export interface Teardown {
  /** Registers what closes `value` and returns `value`: `const s = later.add(await start(), (s) => s.close())`. */
  add<T>(value: T, close: (value: T) => unknown): T;
  /** Closes everything registered, the last first; every closer runs even when one throws (the first error is rethrown). */
  run(): Promise<void>;
}

export const teardown = (): Teardown => {
  const closers: (() => unknown)[] = [];
  return {
    add: (value, close) => {
      closers.push(() => close(value));
      return value;
    },
    run: async () => {
      let first: unknown;
      for (const close of closers.splice(0).reverse()) {
        try {
          await close();
        } catch (error) {
          first ??= error;
        }
      }
      if (first !== undefined) throw first;
    },
  };
};
