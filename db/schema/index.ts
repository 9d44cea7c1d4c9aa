export * from './units.ts';
export * from './indicators.ts';
export * from './sources.ts';
export * from './samples.ts';
export * from './rankings.ts';
export * from './ops.ts';
export * from './auth.ts';
export * from './alerts.ts';
