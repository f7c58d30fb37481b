import { armStats, mergeArmStats, type ArmStats } from './shared/stats/sample';
import { sequentialUpdate, type SequentialState } from './shared/stats/sequential';
function seededRandom(seed: number) { let a = seed >>> 0; return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
const random = seededRandom(11);
const g = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
for (const minN of [2, 5, 10, 20, 30]) for (const retune of [false, true]) {
  let hits = 0, ciHits = 0; const firstHit: number[] = [];
  const runs = 1000;
  for (let run = 0; run < runs; run++) {
    let t: ArmStats = { n: 0, mean: 0, variance: 0 }, c: ArmStats = { n: 0, mean: 0, variance: 0 };
    let state: SequentialState | null = null; let hit = false, ciHit = false;
    for (let look = 0; look < 120; look++) {
      t = mergeArmStats(t, armStats([100 * Math.exp(0.3 * g())]));
      c = mergeArmStats(c, armStats([100 * Math.exp(0.3 * g())]));
      if (t.n < minN) continue;
      state = sequentialUpdate(retune && state ? { ...state, tau: null } : state, { treatment: t, control: c });
      if (state.pValue <= 0.05 && !hit) { hit = true; firstHit.push(look); }
      if (state.ci && (state.ci[0] > 0 || state.ci[1] < 0)) ciHit = true;
    }
    if (hit) hits++; if (ciHit) ciHits++;
  }
  firstHit.sort((a,b)=>a-b);
  console.log(`minN ${minN} retune ${retune}: p<=.05 ${(hits/runs*100).toFixed(1)}%  CI excl ${(ciHits/runs*100).toFixed(1)}%  median first hit look ${firstHit[firstHit.length>>1]}`);
}
