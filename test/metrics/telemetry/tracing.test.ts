import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
  type SpanContext,
  type SpanStatus,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusProvider } from '../../../main/metrics/prometheus/prometheus-provider';
import { FEATURE_FLAG_ATTR, withFlagWriteSpan } from '../../../main/telemetry/flag-spans';
import { METRICS_SPAN_NAME, TRACER_NAME, queryHash, withSpan } from '../../../main/telemetry/tracing';
import { RampartError } from '../../../shared/errors';

/** A minimal in-memory SDK stand-in: records spans, their attributes, status, events and parent. */
interface Recorded {
  name: string;
  tracer: string;
  attributes: Attributes;
  events: Array<{ name: string; attributes?: Attributes }>;
  status?: SpanStatus;
  exceptions: unknown[];
  ended: boolean;
  spanId: string;
  parentSpanId?: string;
}

let nextId = 1;
class MemorySpan implements Span {
  constructor(
    readonly rec: Recorded,
    private readonly ctx: SpanContext,
  ) {}
  spanContext(): SpanContext {
    return this.ctx;
  }
  setAttribute(key: string, value: Attributes[string]): this {
    if (value !== undefined) this.rec.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.rec.attributes, attributes);
    return this;
  }
  addEvent(name: string, attributes?: unknown): this {
    this.rec.events.push({ name, attributes: attributes as Attributes });
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.rec.status = status;
    return this;
  }
  updateName(name: string): this {
    this.rec.name = name;
    return this;
  }
  end(): void {
    this.rec.ended = true;
  }
  isRecording(): boolean {
    return !this.rec.ended;
  }
  recordException(exception: unknown): void {
    this.rec.exceptions.push(exception);
  }
}

const spans: Recorded[] = [];
class MemoryTracer implements Tracer {
  constructor(private readonly name: string) {}
  startSpan(name: string, options?: { attributes?: Attributes }, ctx?: Context): Span {
    const parent = trace.getSpan(ctx ?? context.active());
    const spanId = String(nextId++).padStart(16, '0');
    const rec: Recorded = {
      name,
      tracer: this.name,
      attributes: { ...options?.attributes },
      events: [],
      exceptions: [],
      ended: false,
      spanId,
      parentSpanId: parent?.spanContext().spanId,
    };
    spans.push(rec);
    return new MemorySpan(rec, { traceId: '0'.repeat(31) + '1', spanId, traceFlags: 1 });
  }
  startActiveSpan(): never {
    throw new Error('not used by Rampart');
  }
}
const provider: TracerProvider = { getTracer: (name) => new MemoryTracer(name) };

/** AsyncLocalStorage context manager, so active spans follow async calls (what the SDK's async-hooks one does). */
class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

describe('Rampart tracing without an SDK', () => {
  it('is a no-op: withSpan just runs the function and passes its result and errors through', async () => {
    expect(await withSpan('rampart.test', { a: 1 }, () => 42)).toBe(42);
    await expect(
      withSpan('rampart.test', {}, () => Promise.reject(new RampartError('timeout', 'slow'))),
    ).rejects.toThrow('slow');
    expect(spans).toHaveLength(0);
  });
});

describe('Rampart tracing with a registered tracer provider', () => {
  beforeAll(() => {
    expect(context.setGlobalContextManager(new AlsContextManager())).toBe(true);
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  afterEach(() => {
    spans.length = 0;
  });

  it('records a span from the "rampart" tracer with attributes, OK status, ended; nested spans get the parent', async () => {
    const result = await withSpan('rampart.outer', { 'rampart.x': 'y' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return withSpan('rampart.inner', {}, () => 'done');
    });
    expect(result).toBe('done');
    const [outer, inner] = spans;
    expect(outer).toMatchObject({
      name: 'rampart.outer',
      tracer: TRACER_NAME,
      attributes: { 'rampart.x': 'y' },
      ended: true,
      status: { code: SpanStatusCode.OK },
    });
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.ended).toBe(true);
  });

  it('marks a failure: ERROR status with the message, error.type = the RampartError code, exception recorded', async () => {
    await expect(
      withSpan('rampart.fail', {}, () => Promise.reject(new RampartError('rate_limited', 'Datadog: rate limited'))),
    ).rejects.toThrow();
    const [s] = spans;
    expect(s.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Datadog: rate limited' });
    expect(s.attributes['error.type']).toBe('rate_limited');
    expect(s.exceptions).toHaveLength(1);
    expect(s.ended).toBe(true);
  });

  it('traces a provider query with provider, connection, query HASH (never the text or the token), series and points', async () => {
    const secret = 'prom-bearer-secret';
    const query =
      'sum by (feature_flag_result_variant) (rate(http_server_request_duration_seconds_count{job="checkout"}[5m]))';
    const body = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: {},
            values: [
              [60, '1'],
              [120, '2'],
            ],
          },
        ],
      },
    };
    const p = createPrometheusProvider({
      connection: { id: 'prom-prod', name: 'P', kind: 'prometheus', url: 'http://prom.test', auth: 'bearer' },
      secret,
      http: {
        fetch: async () => new Response(JSON.stringify(body), { status: 200 }),
        sleep: async () => undefined,
        now: () => 0,
        random: () => 0,
      },
    });
    await p.range(query, 60_000, 120_000, 60_000);
    const [s] = spans;
    expect(s.name).toBe(METRICS_SPAN_NAME);
    expect(s.attributes).toMatchObject({
      'rampart.metrics.provider': 'prometheus',
      'rampart.connection.id': 'prom-prod',
      'rampart.metrics.query_hash': queryHash(query),
      'rampart.metrics.step_ms': 60_000,
      'rampart.metrics.range_ms': 60_000,
      'rampart.metrics.series_count': 1,
      'rampart.metrics.point_count': 2,
    });
    expect(queryHash(query)).toMatch(/^[0-9a-f]{16}$/);
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain('http_server_request_duration');
    expect(everything).not.toContain(secret);
  });

  it('flag writes carry the CURRENT feature_flag.* names and none of the deprecated ones', async () => {
    await withFlagWriteSpan(
      {
        flagKey: 'new-checkout',
        providerName: 'unleash',
        env: 'production',
        action: 'ramp',
        setId: 'default',
        version: 7,
        exposureBefore: 5,
        exposureAfter: 25,
        connectionId: 'unleash-prod',
      },
      () => undefined,
    );
    const [s] = spans;
    expect(s.name).toBe('rampart.flag.ramp');
    expect(s.attributes).toEqual({
      'feature_flag.key': 'new-checkout',
      'feature_flag.provider.name': 'unleash',
      'feature_flag.set.id': 'default',
      'feature_flag.version': '7',
      'rampart.flag.env': 'production',
      'rampart.flag.action': 'ramp',
      'rampart.flag.exposure.before': 5,
      'rampart.flag.exposure.after': 25,
      'rampart.connection.id': 'unleash-prod',
    });
    for (const deprecated of ['feature_flag.provider_name', 'feature_flag.variant', 'feature_flag.evaluation.reason']) {
      expect(Object.keys(s.attributes)).not.toContain(deprecated);
    }
    expect(FEATURE_FLAG_ATTR.resultVariant).toBe('feature_flag.result.variant');
    expect(FEATURE_FLAG_ATTR.providerName).toBe('feature_flag.provider.name');
  });
});
