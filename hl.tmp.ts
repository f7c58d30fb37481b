import { selectPairwiseDifference, selectPairwiseDifferences } from './shared/stats/pairwise-select';
import { hodgesLehmann } from './shared/stats/hodges-lehmann';
import { sortFloat64 } from './shared/stats/sort';
function rnd(seed:number){let a=seed;return()=>{a=(a*1103515245+12345)%2147483648;return a/2147483648}}
const r=rnd(7);
let bad=0;
for (let trial=0;trial<300;trial++){
  const n=1+Math.floor(r()*200), m=1+Math.floor(r()*200);
  const ties = r()<0.5;
  const x=Float64Array.from({length:m},()=>ties?Math.floor(r()*5):r()*100).sort();
  const y=Float64Array.from({length:n},()=>ties?Math.floor(r()*5):r()*100).sort();
  const all:number[]=[]; for(const a of x) for(const b of y) all.push(a-b);
  const d=Float64Array.from(all).sort();
  const ks=Array.from({length:5},()=>1+Math.floor(r()*d.length));
  const got=selectPairwiseDifferences(x,y,ks);
  ks.forEach((k,i)=>{ if (got[i]!==d[k-1]) bad++; });
}
console.log('bad',bad);
const big=(len:number)=>sortFloat64(Float64Array.from({length:len},()=>Math.exp(r()*2)*100));
const X=big(10000), Y=big(10000);
for (let w=0;w<3;w++){let t0=performance.now(); for(let i=0;i<20;i++) hodgesLehmann(X,Y,0.98); console.log((performance.now()-t0)/20,'ms per HL');}
// verify one large selection vs counting check
const h=hodgesLehmann(X,Y,0.98); console.log(h);
const cnt=(v:number)=>{let c=0;for(const yy of Y)for(const xx of X) if(xx-yy<v)c++;return c};
console.log('check lower: #<', cnt(h.ci![0]), 'k', h.k);
const T=(len:number)=>sortFloat64(Float64Array.from({length:len},()=>Math.floor(r()*3)));
let t0=performance.now(); console.log(hodgesLehmann(T(10000),T(10000)), performance.now()-t0);
const X2=big(300), Y2=big(50000); t0=performance.now(); console.log(hodgesLehmann(X2,Y2), performance.now()-t0);
