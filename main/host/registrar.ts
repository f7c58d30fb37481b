import type { z } from 'zod';
import { requests, type Channel, type ResponseOf } from '../../shared/contract/requests';
import type { CallContext, Handlers } from '../core/handler-types';
import { RampartError, describeIssues, toWireError, type Envelope, type ErrorFacts } from '../../shared/errors';

export { describeIssues };

export type { CallContext, Door, Handler, Handlers } from '../core/handler-types';
export { createEventBus, type EventBus } from '../core/event-bus';

function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

/**
 * The one registrar behind all three doors (Electron IPC, browser host, CLI). Every payload is parsed by the
 * contract's schema here — once — before any handler runs; every answer is a `{result} | {error: {code, message}}`
 * envelope. Handlers never see unvalidated input and never throw across a door.
 */
/** A failed payload's issues (at most 5) as data, so a form marks the field without reading the message. */
function issuesOf(error: z.ZodError): ErrorFacts['issues'] {
  return error.issues.slice(0, 5).map((i) => ({ path: i.path.map(String), message: i.message }));
}

export function createRegistrar(handlers: Handlers) {
  for (const name of Object.keys(requests)) {
    if (typeof (handlers as Record<string, unknown>)[name] !== 'function')
      throw new Error(`registrar: no handler for channel '${name}'`);
  }

  async function dispatch(channel: string, payload: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
    if (!isChannel(channel))
      return { error: { code: 'bad_request', message: `Unknown channel '${String(channel).slice(0, 80)}'` } };
    let parsed: z.ZodSafeParseResult<unknown>;
    try {
      parsed = requests[channel].input.safeParse(payload ?? {});
    } catch (e) {
      // zod runs a refinement even after the check before it failed, so a refinement that throws (e.g. `new URL`
      // on "not a url" in a connection) escapes safeParse. It is still a bad payload, never a crash of the door.
      const reason = e instanceof Error ? e.message : String(e);
      return { error: { code: 'bad_request', message: `Invalid '${channel}' request: ${reason.slice(0, 200)}` } };
    }
    if (!parsed.success)
      return {
        error: {
          code: 'bad_request',
          message: `Invalid '${channel}' request: ${describeIssues(parsed.error)}`,
          details: { issues: issuesOf(parsed.error) } satisfies ErrorFacts,
        },
      };
    try {
      const handler = handlers[channel] as (input: unknown, ctx: CallContext) => Promise<unknown> | unknown;
      return { result: await handler(parsed.data, ctx) };
    } catch (e) {
      return { error: toWireError(e) };
    }
  }

  /** The typed form for in-process callers (the CLI): throws the RampartError instead of returning the envelope. */
  async function call<C extends Channel>(
    channel: C,
    payload: z.input<(typeof requests)[C]['input']>,
    ctx: CallContext,
  ): Promise<ResponseOf<C>> {
    const env = await dispatch(channel, payload, ctx);
    if ('error' in env) throw new RampartError(env.error.code, env.error.message, env.error.details);
    return env.result as ResponseOf<C>;
  }

  return { dispatch, call, channels: Object.keys(requests) as Channel[] };
}

export type Registrar = ReturnType<typeof createRegistrar>;
