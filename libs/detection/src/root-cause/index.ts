export * from './root-cause';
export * from './root-cause-report';
export * from './root-cause-summary';
export * from './reconstruction-error';
export * from './latent-sensitivity';
export * from './kernel-shap';
export * from './channel-shap';
export * from './window-explanation';
