/** The RSS readings the bench and the 256 MiB test rely on (scripts/support/process-memory.ts). */
import { describe, expect, it } from 'vitest';
import { MiB, readProcessMemory, samplePeakRss } from '#scripts/support/process-memory.ts';

describe.runIf(process.platform === 'linux')('process memory from /proc', () => {
  it('reads a process’s RSS and its high-water mark', () => {
    const memory = readProcessMemory(process.pid)!;
    expect(memory.rssBytes).toBeGreaterThan(10 * MiB);
    expect(memory.peakRssBytes).toBeGreaterThanOrEqual(memory.rssBytes);
  });

  it('reports the highest RSS since it started', () => {
    const sampler = samplePeakRss(process.pid);
    const before = readProcessMemory(process.pid)!.rssBytes;
    let spike: Buffer | undefined = Buffer.alloc(64 * MiB, 1);
    spike = undefined;
    void spike;
    expect(sampler.stop()).toBeGreaterThanOrEqual(before + 60 * MiB);
  });

  it('has nothing to say about a process that is not there', () => {
    expect(readProcessMemory(2 ** 30)).toBeUndefined();
  });
});
