import { describe, expect, it } from 'vitest';
import { bestValidationRow } from './train-vision-model';

describe('bestValidationRow', () => {
  const table = [
    { kind: 'feature-vae', auc: [0.965, 0.959] },
    { kind: 'gaussian', auc: [0.966, 0.96] },
    { kind: 'feature-vae', auc: [0.9655, 0.966] },
  ];

  it('picks the best view and σ over all rows', () => {
    expect(bestValidationRow(table)).toEqual({ row: 1, s: 0 });
  });

  it("keeps to the trained kind's rows when asked (a feature VAE its Gaussian beat)", () => {
    expect(bestValidationRow(table, 'feature-vae')).toEqual({ row: 2, s: 1 });
  });

  it('breaks ties towards the earlier row and the smaller σ, and fails on an empty choice', () => {
    expect(
      bestValidationRow([
        { kind: 'gaussian', auc: [0.9, 0.9] },
        { kind: 'gaussian', auc: [0.9, 0.8] },
      ]),
    ).toEqual({ row: 0, s: 0 });
    expect(() => bestValidationRow(table, 'conv-vae')).toThrow(/no validation row of kind conv-vae/);
  });
});
