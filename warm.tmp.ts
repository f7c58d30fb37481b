import { judge } from './shared/stats/judge';
function rnd(seed:number){let a=seed;return()=>{a=(a*1103515245+12345)%2147483648;return a/2147483648}}
const r=rnd(11);
const gauss=()=>Math.sqrt(-2*Math.log(r()+1e-300))*Math.cos(2*Math.PI*r());
const metrics = Array.from({length:20},(_,i)=>({name:`p99_ms_${i}`, kind:'latency' as const, baseline: Array.from({length:10000},()=>Math.exp(5+0.3*gauss())), canary: Array.from({length:10000},()=>Math.exp(5+0.3*gauss())*(i===3?1.2:1))}));
let t0=performance.now(); judge({metrics}); console.log('cold wall', (performance.now()-t0).toFixed(1));
for (let i=0;i<10;i++) judge({metrics});
let best=Infinity; for (let i=0;i<10;i++){t0=performance.now(); judge({metrics}); best=Math.min(best, performance.now()-t0);} console.log('warm wall best', best.toFixed(1));
