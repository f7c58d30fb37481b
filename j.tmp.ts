import { judge } from './shared/stats/judge';
function rnd(seed:number){let a=seed;return()=>{a=(a*1103515245+12345)%2147483648;return a/2147483648}}
const r=rnd(11);
const gauss=()=>Math.sqrt(-2*Math.log(r()+1e-300))*Math.cos(2*Math.PI*r());
const metrics = Array.from({length:20},(_,i)=>({name:`p99_ms_${i}`, kind:'latency' as const, baseline: Array.from({length:10000},()=>Math.exp(5+0.3*gauss())), canary: Array.from({length:10000},()=>Math.exp(5+0.3*gauss())*(i===3?1.2:1))}));
for (let w=0; w<5; w++){ const t0=performance.now(); const out=judge({confidence:0.98, metrics}); console.log((performance.now()-t0).toFixed(1),'ms', out.verdict, out.score, out.reason); }
const out=judge({metrics}); console.log(out.metrics[3], out.metrics[0].reason);
console.log(judge({metrics:[{name:'errors',kind:'errors',baseline:{errors:12,total:10000},canary:{errors:30,total:9000}},{name:'p99_ms',kind:'latency',critical:true,baseline:[120.1,118.3],canary:[131.0,129.8]}]}));
