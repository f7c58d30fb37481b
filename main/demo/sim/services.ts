/**
 * The demo's simulated services: one per demo flag, named by the flag's `metadata.service` in
 * resources/demo/flags.json (a test checks the two agree). Numbers are chosen to look like a real web service:
 * a checkout API at ~30 rps peak, search at ~60, the web front end at ~120; lognormal latencies; a few errors.
 *
 * checkout-v2 is the regressing flag: its new path makes one more call to the payment service, so its median is
 * ~15 % slower, its tail is heavier (p99 ≈ +45 %), and it fails ~6× as often (0.4 % → 2.5 %).
 * search-ranker's new ranker and dark-mode's new theme behave exactly like their control.
 */

export interface VariantBehaviour {
  /** Median latency at low load, ms. */
  medianMs: number;
  /** Log-space standard deviation: the tail weight (p99 = median · e^(2.326 σ)). */
  sigma: number;
  /** Share of requests that fail (HTTP 5xx). */
  errorRate: number;
}

export interface ServiceModel {
  service: string;
  flagKey: string;
  /** The flag's variants as in the demo flag file (value per variant name). */
  variants: Record<string, boolean | string>;
  defaultVariant: string;
  treatment: string;
  control: string;
  /** Requests per second at the daily peak. */
  peakRps: number;
  behaviour: Record<string, VariantBehaviour>;
}

export const DEMO_SERVICES: readonly ServiceModel[] = [
  {
    service: 'checkout',
    flagKey: 'checkout-v2',
    variants: { on: true, off: false },
    defaultVariant: 'off',
    treatment: 'on',
    control: 'off',
    peakRps: 30,
    behaviour: {
      off: { medianMs: 120, sigma: 0.45, errorRate: 0.004 },
      on: { medianMs: 138, sigma: 0.55, errorRate: 0.025 },
    },
  },
  {
    service: 'search',
    flagKey: 'search-ranker',
    variants: { 'ml-v2': 'ml-v2', classic: 'classic' },
    defaultVariant: 'classic',
    treatment: 'ml-v2',
    control: 'classic',
    peakRps: 60,
    behaviour: {
      classic: { medianMs: 80, sigma: 0.5, errorRate: 0.003 },
      'ml-v2': { medianMs: 80, sigma: 0.5, errorRate: 0.003 },
    },
  },
  {
    service: 'web',
    flagKey: 'dark-mode',
    variants: { on: true, off: false },
    defaultVariant: 'on',
    treatment: 'on',
    control: 'off',
    peakRps: 120,
    behaviour: {
      off: { medianMs: 45, sigma: 0.4, errorRate: 0.001 },
      on: { medianMs: 45, sigma: 0.4, errorRate: 0.001 },
    },
  },
];

export function serviceModel(service: string): ServiceModel | undefined {
  return DEMO_SERVICES.find((s) => s.service === service);
}

/** Variant order in per-variant output: treatment first, like the flag's fractional rule. */
export function variantOrder(model: ServiceModel): [string, string] {
  return [model.treatment, model.control];
}
