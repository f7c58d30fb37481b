import { selectPairwiseDifference } from './shared/stats/hodges-lehmann';
import { sortFloat64 } from './shared/stats/sort';
function rnd(seed:number){let a=seed;return()=>{a=(a*1103515245+12345)%2147483648;return a/2147483648}}
const r=rnd(7);
const big=()=>sortFloat64(Float64Array.from({length:10000},()=>Math.exp(r()*2)*100));
const X=big(), Y=big();
for (let w=0;w<5;w++){let t0=performance.now(); for(let i=0;i<20;i++) selectPairwiseDifference(X,Y,50000000+i*1000); console.log((performance.now()-t0)/20,'ms per select');}
console.log((globalThis as any).T);
