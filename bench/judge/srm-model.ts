/**
 * Exposure under per-user bucketing, for the SRM rows of the judge simulation (and its unit test): users arrive
 * as sessions (Poisson per step), each session stays for a geometric number of steps (mean `sessionSteps`), and
 * sends Poisson(r) requests per step with a heavy-tailed per-user rate r (lognormal, log-sd `rateSigma`) — a few
 * heavy users send a large share of the requests. Each user is bucketed once into treatment with probability
 * `share`. Exposed units = distinct users seen in the window; requests = per-step sums by arm. Request counts are
 * therefore overdispersed and correlated across steps, units are binomial.
 */
import { Random } from './model';

export interface ExposureModel {
  /** New sessions per step. */
  arrivals: number;
  /** Mean session length in steps (geometric). */
  sessionSteps: number;
  /** Median requests per step of a session. */
  medianRate: number;
  /** Log-sd of the per-user request rate. */
  rateSigma: number;
}

export const DEFAULT_EXPOSURE_MODEL: ExposureModel = { arrivals: 150, sessionSteps: 4, medianRate: 3, rateSigma: 1.2 };

export interface ExposureWindow {
  units: [number, number];
  perStep: Array<[number, number]>;
}

/** One window of `steps` steps in which each user lands in treatment with probability `bucketShare`. */
export function simulateExposure(
  random: Random,
  model: ExposureModel,
  steps: number,
  bucketShare: number,
): ExposureWindow {
  const stay = 1 - 1 / model.sessionSteps;
  let active: Array<{ treatment: boolean; rate: number }> = [];
  const units: [number, number] = [0, 0];
  const perStep: Array<[number, number]> = [];
  // Start in steady state: the sessions already running when the window opens count as exposed units too.
  const warm = random.poisson(model.arrivals * model.sessionSteps);
  const arrive = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const treatment = random.next() < bucketShare;
      active.push({ treatment, rate: model.medianRate * Math.exp(model.rateSigma * random.normal()) });
      units[treatment ? 0 : 1]++;
    }
  };
  arrive(warm);
  for (let s = 0; s < steps; s++) {
    if (s > 0) arrive(random.poisson(model.arrivals));
    const counts: [number, number] = [0, 0];
    for (const session of active) counts[session.treatment ? 0 : 1] += random.poisson(session.rate);
    perStep.push(counts);
    active = active.filter(() => random.next() < stay);
  }
  return { units, perStep };
}
