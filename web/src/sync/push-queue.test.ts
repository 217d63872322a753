import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { chunksBySize, pushInChunks } from './push-queue';

describe('pushInChunks', () => {
  const size = (s: string) => s.length;

  it('cuts a batch into runs under the byte target, in order; an item larger than the target goes alone', () => {
    expect(chunksBySize(['aaa', 'bb', 'c', 'dddddd', 'e'], size, 4)).toEqual([['aaa'], ['bb', 'c'], ['dddddd'], ['e']]);
  });

  it('finds the rows a server refuses for good, sets only those aside, and sends every other row once, in order', async () => {
    const accepted: string[] = [];
    const bad = new Set(['x', 'y']);
    const send = async (chunk: string[]) => {
      if (chunk.some((c) => bad.has(c))) throw new ApiError(chunk.includes('x') ? 400 : 403, 'refused', `no ${chunk.join()}`);
      accepted.push(...chunk);
      return [];
    };
    const items = ['a', 'b', 'x', 'c', 'd', 'e', 'y', 'f'];
    const { refused } = await pushInChunks(items, send, size, 100);
    expect(accepted).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(refused.map((r) => [r.item, r.error.status])).toEqual([
      ['x', 400],
      ['y', 403],
    ]);
  });

  it('takes a 400 or 403 as final only from our server; a 413 from anyone', async () => {
    const proxy = (status: number) => async () => Promise.reject(new ApiError(status, 'internal', 'an error page', false));
    await expect(pushInChunks(['a'], proxy(404), size)).rejects.toMatchObject({ status: 404 });
    await expect(pushInChunks(['a'], proxy(403), size)).rejects.toMatchObject({ status: 403 });
    expect((await pushInChunks(['a'], proxy(413), size)).refused.map((r) => r.item)).toEqual(['a']);
  });

  it('lets a transient failure through, so the whole batch is retried later', async () => {
    const send = async () => {
      throw new ApiError(503, 'unavailable', 'down');
    };
    await expect(pushInChunks(['a', 'b'], send, size)).rejects.toMatchObject({ status: 503 });
    await expect(pushInChunks(['a'], async () => Promise.reject(new TypeError('Failed to fetch')), size)).rejects.toThrow('Failed to fetch');
  });
});
