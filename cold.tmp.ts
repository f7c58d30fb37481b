import { judge } from './shared/stats/judge';
function rnd(seed:number){let a=seed;return()=>{a=(a*1103515245+12345)%2147483648;return a/2147483648}}
const r=rnd(11);
const gauss=()=>Math.sqrt(-2*Math.log(r()+1e-300))*Math.cos(2*Math.PI*r());
const metrics = Array.from({length:20},(_,i)=>({name:`p99_ms_${i}`, kind:'latency' as const, baseline: Array.from({length:10000},()=>Math.exp(5+0.3*gauss())), canary: Array.from({length:10000},()=>Math.exp(5+0.3*gauss())*(i===3?1.2:1))}));
const times:number[]=[];
for (let i=0;i<20;i++){ const c0=process.cpuUsage(); judge({metrics:[metrics[i]]}); const c=process.cpuUsage(c0); times.push((c.user+c.system)/1000); }
console.log(times.map(t=>t.toFixed(1)).join(' '), 'sum', times.reduce((a,b)=>a+b).toFixed(1));
const c0=process.cpuUsage(); judge({metrics}); const c=process.cpuUsage(c0); console.log('warm full', (c.user+c.system)/1000);
