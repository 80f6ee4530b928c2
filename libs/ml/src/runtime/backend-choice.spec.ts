import { describe, expect, it } from 'vitest';
import { chooseMlBackend, MlBackendAlreadyLoadedError } from './backend-choice';
import { mlBackend } from './index';

describe('chooseMlBackend', () => {
  it('accepts the backend the runtime loaded and refuses another once it has loaded', () => {
    expect(mlBackend.requested).toBe('tensorflow');
    expect(() => chooseMlBackend('tensorflow')).not.toThrow();
    expect(() => chooseMlBackend('cpu')).toThrow(MlBackendAlreadyLoadedError);
    expect(() => chooseMlBackend('cpu')).toThrow(/already loaded with tensorflow; choose cpu before/);
  });
});
