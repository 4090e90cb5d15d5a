import { describe, expect, it } from 'vitest';
import type { Ctx } from '../http/index.js';
import { collectTasks, createTaskRegistry, type TaskProvider } from './tasks.js';

const provider = (name: string, kinds: string[]): TaskProvider => ({
  name,
  tasks: async () => kinds.map((kind) => ({ kind, title: `${name}:${kind}`, createdAt: '2026-11-23T00:00:00.000Z' })),
});
const ctx = {} as Ctx;

describe('task registry', () => {
  it('lists every provider’s tasks in registration order', async () => {
    const registry = createTaskRegistry([provider('catalog', ['review', 'publish'])]);
    registry.register(provider('verification', ['verify']));
    expect((await collectTasks(registry, ctx)).map((t) => t.kind)).toEqual(['review', 'publish', 'verify']);
  });

  it('refuses a provider registered twice', () => {
    const registry = createTaskRegistry([provider('catalog', [])]);
    expect(() => registry.register(provider('catalog', []))).toThrow(/registered twice/);
  });
});
