import fc from 'fast-check';
import { judge } from './shared/stats/judge';
const anyNumber = fc.oneof(fc.double(), fc.constant(null), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(Infinity, -Infinity, Number.NaN, Number.MAX_VALUE, -Number.MAX_VALUE, 0, -0));
const arm = fc.oneof(fc.array(anyNumber, { maxLength: 80 }), fc.array(fc.constant(42), { maxLength: 80 }));
let i = 0;
fc.assert(fc.property(arm, arm, (b, c) => { i++; const t0 = performance.now(); judge({ metrics: [{ name: 'lat', kind: 'latency', baseline: b as number[], canary: c as number[] }] }); const dt = performance.now() - t0; if (dt > 200) { console.log('slow', dt, JSON.stringify(b), JSON.stringify(c)); process.exit(1); } }), { numRuns: 2000 });
console.log('latency ok', i);
