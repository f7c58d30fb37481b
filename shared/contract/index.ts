export * from './requests';
export * from './events';
export * from './channels';
export * from '../errors';
