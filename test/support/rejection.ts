import { isRampartError, type RampartError } from '../../shared/errors';

/** Awaits a promise that must reject with a RampartError and returns that error, so a test can check its code. */
export async function rejection(p: Promise<unknown>): Promise<RampartError> {
  try {
    await p;
  } catch (e) {
    if (isRampartError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection, but the call succeeded');
}
