import { detectOnsetCusum, robustMeanSd } from './shared/stats/onset';
function seededRandom(seed: number) { let a = seed >>> 0; return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
for (let seed=1; seed<8; seed++){
const random = seededRandom(seed);
const g = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
const s = Array.from({ length: 120 }, (_, i) => [i, 100 + 5 * g() + (i >= 60 ? 10 : 0)] as const);
console.log(seed, detectOnsetCusum(s, { referencePoints: 40 }), robustMeanSd(s.slice(0,40).map(p=>p[1])));
}
