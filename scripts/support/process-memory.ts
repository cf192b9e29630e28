/**
 * The resident memory (RSS) of another process, read from Linux's /proc: what a container's
 * memory limit counts, so what decides whether the server is killed. The bench reports each
 * route's peak and the 256 MiB test checks it; neither needs anything from the server itself.
 *
 * The peak comes from the kernel's own high-water mark (VmHWM), reset at the start of a
 * measurement (`echo 5 > /proc/<pid>/clear_refs`), so a spike between two samples is not missed;
 * VmRSS is also sampled, in case the reset is not allowed. Off Linux there is no /proc: the
 * readings are undefined and callers show nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export const MiB = 1024 * 1024;

export interface ProcessMemory {
  /** Resident now (VmRSS), bytes. */
  rssBytes: number;
  /** The most ever resident since start or the last reset (VmHWM), bytes. */
  peakRssBytes: number;
}

/** VmRSS and VmHWM of `pid`, or undefined when /proc can't tell (not Linux, process gone). */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  const rssBytes = kib('VmRSS');
  const peakRssBytes = kib('VmHWM');
  return Number.isFinite(rssBytes) && Number.isFinite(peakRssBytes) ? { rssBytes, peakRssBytes } : undefined;
}

/** Resets `pid`'s VmHWM to its current RSS; false when the kernel doesn't let us. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface PeakRssSampler {
  /** Stops sampling; the highest RSS seen since start (bytes), undefined off Linux. */
  stop(): number | undefined;
}

/** Starts watching `pid`'s RSS: the peak is the kernel's high-water mark, or the highest sample. */
export function samplePeakRss(pid: number, intervalMs = 100): PeakRssSampler {
  const exact = resetPeak(pid);
  let peak = readProcessMemory(pid)?.rssBytes;
  const sample = () => {
    const now = readProcessMemory(pid);
    if (now) peak = Math.max(peak ?? 0, exact ? now.peakRssBytes : now.rssBytes);
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
