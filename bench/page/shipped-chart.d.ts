/**
 * The app's TimeChart (renderer/src/charts/TimeChart.tsx), resolved by the bench page's Vite alias. Declared opaque
 * here because the Node tsconfig that checks bench/** has neither JSX nor the DOM; bench/page/chart.ts gives it
 * its props type. The web tsconfig checks the component itself.
 */
declare module 'rampart-shipped-chart' {
  export const TimeChart: unknown;
}
