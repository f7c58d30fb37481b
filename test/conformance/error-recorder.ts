import { inspect } from 'node:util';
import { toWireError } from '../../shared/errors';

/**
 * Every error an adapter throws during a conformance suite, so the last case can search all of them for the
 * credential the fixture planted (docs/security.md: no secret in any error, log, audit row, event or response).
 * The adapter is wrapped, not changed: each method's rejection (or throw) is kept and passed on as it was.
 */
export interface ErrorRecorder {
  errors: unknown[];
  /** The same object, every method's failures recorded. */
  wrap<T extends object>(target: T): T;
  /** Records the rejection of `p` (e.g. the rollout service's own error) and passes it on. */
  track<T>(p: Promise<T>): Promise<T>;
}

export function createErrorRecorder(): ErrorRecorder {
  const errors: unknown[] = [];
  const keep = (e: unknown): never => {
    errors.push(e);
    throw e;
  };
  return {
    errors,
    wrap<T extends object>(target: T): T {
      return new Proxy(target, {
        get(obj, prop, receiver) {
          const value = Reflect.get(obj, prop, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            try {
              const out = (value as (...a: unknown[]) => unknown).apply(obj, args);
              return out instanceof Promise ? out.catch(keep) : out;
            } catch (e) {
              return keep(e);
            }
          };
        },
      });
    },
    track: (p) => p.catch(keep),
  };
}

/** Every form an error reaches a person or a file in: its message, its JSON, the wire envelope, and a full inspect. */
export function errorForms(e: unknown): string[] {
  const forms = [inspect(e, { depth: 10, showHidden: false }), JSON.stringify(toWireError(e))];
  if (e instanceof Error) forms.push(e.message, String(e.stack ?? ''));
  try {
    forms.push(JSON.stringify(e) ?? '');
  } catch {
    // a cyclic value: inspect above still shows it
  }
  return forms;
}

/** The errors (by index, with the form that leaked) that contain any of the secrets. */
export function leaks(errors: readonly unknown[], secrets: readonly string[]): string[] {
  const out: string[] = [];
  errors.forEach((e, i) => {
    for (const form of errorForms(e)) {
      const secret = secrets.find((s) => s.length > 0 && form.includes(s));
      if (secret) {
        out.push(`error #${i}: ${form.replaceAll(secret, '<SECRET>').slice(0, 300)}`);
        return;
      }
    }
  });
  return out;
}
