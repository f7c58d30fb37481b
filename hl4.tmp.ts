import { hodgesLehmann } from './shared/stats/hodges-lehmann';
import { sortFloat64 } from './shared/stats/sort';
function rnd(seed:number){let a=seed;return()=>{a=(a*1103515245+12345)%2147483648;return a/2147483648}}
const r=rnd(7);
const big=(len:number)=>sortFloat64(Float64Array.from({length:len},()=>Math.exp(r()*2)*100));
const X=big(10000), Y=big(10000);
for (let w=0;w<30;w++) hodgesLehmann(X,Y,0.98);
