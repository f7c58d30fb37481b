/**
 * One A/A window of exposure for the SRM rows: the check on exposed units, the dispersion-corrected check on
 * request counts, and the naive chi-square on request totals that per-user bucketing defeats (for contrast).
 */
import { chiSquareSf } from '../../shared/stats/special';
import { srmOnRequests, srmOnUnits } from '../../shared/stats/srm';
import type { Random } from './model';
import { DEFAULT_EXPOSURE_MODEL, simulateExposure } from './srm-model';

export interface SrmRecord {
  units: string;
  requests: string;
  naive: string;
}

export function srmRecord(random: Random, share: number, steps: number): SrmRecord {
  const w = simulateExposure(random, DEFAULT_EXPOSURE_MODEL, steps, share);
  const split: [number, number] = [share * 100, (1 - share) * 100];
  const t = w.perStep.reduce((a, [x]) => a + x, 0);
  const n = w.perStep.reduce((a, [x, y]) => a + x + y, 0);
  const p = chiSquareSf((t - share * n) ** 2 / (share * (1 - share) * n), 1);
  return {
    units: srmOnUnits({ units: w.units, split }).status,
    requests: srmOnRequests({ perStep: w.perStep, split }).status,
    naive: p < 0.001 ? 'alert' : p < 0.01 ? 'warn' : 'ok',
  };
}
