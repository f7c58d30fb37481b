import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Reads a JSON fixture written by scripts/reference/generate.py. */
export function loadFixture<T>(name: string): T {
  const url = new URL(`../fixtures/stats/${name}`, import.meta.url);
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as T;
  } catch (error) {
    throw new Error(
      `fixture ${name} is missing or unreadable; regenerate with: python3 scripts/reference/generate.py (${String(error)})`,
    );
  }
}

/** |actual − expected| ≤ rel·|expected| (+ abs for values that are 0 in the reference). */
export function expectClose(actual: number, expected: number, rel = 1e-6, abs = 0, label = ''): void {
  const tolerance = rel * Math.abs(expected) + abs;
  const ok = actual === expected || Math.abs(actual - expected) <= tolerance;
  expect(ok, `${label} expected ${expected}, got ${actual} (tolerance ${tolerance})`).toBe(true);
}

/** A small deterministic generator for test data (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function lognormalSample(random: () => number, n: number, scale = 100, sigma = 0.3): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = random() || 1e-12;
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    out.push(scale * Math.exp(sigma * z));
  }
  return out;
}
