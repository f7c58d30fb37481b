/**
 * The few browser APIs the bench page uses, typed here: bench/** is type-checked with the Node tsconfig (no DOM
 * library), and pulling the whole DOM library into that program would let Node code use `document` unnoticed.
 */
export interface PageElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
}

export interface PageGlobals {
  document: {
    getElementById(id: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    body: PageElement & { dataset: Record<string, string | undefined> };
  };
  requestAnimationFrame(callback: (time: number) => void): number;
  MessageChannel: new () => {
    port1: { onmessage: (() => void) | null; close(): void };
    port2: { postMessage(message: unknown): void };
  };
  devicePixelRatio: number;
  /** Where the page publishes its API for the benchmark driver (playwright's page.evaluate). */
  rampartBench?: unknown;
}

export const page = globalThis as unknown as PageGlobals;

/** Resolves at the start of the next frame (its rAF callbacks run before that frame's style, layout and paint). */
export function nextFrame(): Promise<number> {
  return new Promise((resolve) => page.requestAnimationFrame(() => resolve(performance.now())));
}

/**
 * Resolves as the next task: called right after nextFrame(), that is after the frame's main-thread rendering
 * (style, layout, paint) — a message posted from a rAF callback runs once the frame's rendering step is done.
 */
export function nextTask(): Promise<number> {
  return new Promise((resolve) => {
    const channel = new page.MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve(performance.now());
    };
    channel.port2.postMessage(0);
  });
}
