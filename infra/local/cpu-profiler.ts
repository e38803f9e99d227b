import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Self time by function over a profile: where the runtime's own thread spent the time profiled. */
const summarise = (profile: Profile, top: number) => {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const node = byNode.get(id);
    const us = deltas[i] ?? 0;
    total += us;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules\/)?/, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
  });
  const idle = self.get('(idle)') ?? 0;
  return {
    profiledMs: Math.round(total / 1000),
    busyShare: total > 0 ? Math.round(((total - idle) / total) * 100) / 100 : 0,
    top: [...self.entries()]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: Math.round((us / total) * 1000) / 1000,
      })),
  };
};

/**
 * The local runtime's CPU profiler (`POST /dev/profile/start`, `POST /dev/profile/stop`): V8's sampling
 * profiler on the runtime's own thread, through an in-process inspector session, so a load problem can be
 * seen where it happens (the bench uses it for the minute it measures). Stop writes a `.cpuprofile` that
 * Chrome DevTools opens, and answers its path with the functions that took the most self time. Local only.
 */
export const createCpuProfiler = (dataDir: string) => {
  let session: Session | undefined;
  return {
    async start(): Promise<{ started: boolean }> {
      if (session) return { started: false };
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return { started: true };
    },
    async stop(top = 25) {
      if (!session) return undefined;
      const current = session;
      session = undefined;
      const { profile } = (await current.post('Profiler.stop')) as unknown as { profile: Profile };
      current.disconnect();
      const file = join(dataDir, `runtime-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return { file, ...summarise(profile, top) };
    },
  };
};

export type CpuProfiler = ReturnType<typeof createCpuProfiler>;
