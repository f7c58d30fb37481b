export { createSimulatedProvider, type SimulatedProviderOptions, type TimelineEntry } from './simulated-provider';
export {
  parseSimulatedQuery,
  renderSimulatedQuery,
  simulatedMetricSpecs,
  simulatedUnitsQuery,
  simulatedWindowTemplate,
  parseSimulatedWindowQuery,
  SIMULATED_METRICS,
  SIMULATED_VARIANT_LABEL,
  type SimulatedMetric,
} from './simulated-query';
export {
  demoWorkspace,
  DEMO_FLAG_CONNECTION_ID,
  DEMO_METRICS_CONNECTION_ID,
  type DemoWorkspace,
} from './demo-workspace';
export { seedDemoHistory, demoHistoryEntries, DEMO_ENVIRONMENT } from './demo-history';
export { DEMO_SERVICES, type ServiceModel } from './sim/services';
