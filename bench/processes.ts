/** Child processes of the bench: spawn (optionally pinned to a core), wait until ready, sample RSS, stop. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { freePort } from '../test/helpers/server.ts';

export interface Pinning {
  pinned: boolean;
  /** why not, when not */
  reason?: string;
  serverCpu?: number;
  loadCpu?: number;
}

/**
 * Pins this process (the load generator) to the first core and reserves the last for servers,
 * when taskset exists and there are at least two cores.
 */
export function pinCores(wanted: boolean): Pinning {
  if (!wanted) return { pinned: false, reason: '--no-pin' };
  const cpus = availableParallelism();
  if (cpus < 2) return { pinned: false, reason: 'one core only' };
  try {
    execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { pinned: false, reason: 'taskset not available' };
  }
  return { pinned: true, serverCpu: cpus - 1, loadCpu: 0 };
}

export interface PostgresPinning {
  pinned: boolean;
  /** why not, when not */
  reason?: string;
  /** how many PostgreSQL processes were moved */
  processes?: number;
  /** puts every PostgreSQL process back on the cores it had (idempotent) */
  restore(): void;
}

/** The mask in taskset's `pid 123's current affinity mask: 3`. */
export function affinityMask(tasksetOutput: string): string | undefined {
  return /affinity mask:\s*([0-9a-f,]+)\s*$/i.exec(tasksetOutput.trim())?.[1];
}

const pgrep = (user: string): number[] => {
  try {
    return execFileSync('pgrep', ['-u', user], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

/**
 * Moves every process of a local PostgreSQL (the postmaster, so backends forked later too, and
 * the running ones) onto `cpu`, the load generator's core, for `--pin-postgres`. Unpinned, the
 * backends float onto the server's core and take turns with the server there: that shows in
 * req/s (both servers wait for the core) but not in the server's own CPU time, and how much of
 * it happens changes from run to run. With PostgreSQL beside the load generator the server's core
 * holds the server alone, as it would with the database on another machine. Needs the right to
 * change those processes' affinity (root, or the same user).
 */
export function pinPostgres(cpu: number): PostgresPinning {
  const original = new Map<number, string>();
  const restore = () => {
    if (original.size === 0) return;
    // Backends forked while pinned are not in `original`: they get the postmaster's old mask.
    const fallback = original.values().next().value as string;
    for (const pid of pgrep('postgres')) {
      try {
        execFileSync('taskset', ['-p', original.get(pid) ?? fallback, String(pid)], { stdio: 'ignore' });
      } catch {
        // exited meanwhile
      }
    }
    original.clear();
  };
  const pids = pgrep('postgres').sort((a, b) => a - b);
  if (pids.length === 0) return { pinned: false, reason: 'no PostgreSQL process on this machine', restore };
  try {
    for (const pid of pids) {
      const mask = affinityMask(execFileSync('taskset', ['-p', String(pid)], { encoding: 'utf8' }));
      if (!mask) throw new Error(`no affinity mask for ${pid}`);
      original.set(pid, mask);
      execFileSync('taskset', ['-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    }
  } catch (err) {
    restore();
    return { pinned: false, reason: `cannot move PostgreSQL's processes (${(err as Error).message.split('\n')[0]})`, restore };
  }
  return { pinned: true, processes: pids.length, restore };
}

/** `pinPostgres` onto the load generator's core, when cores are pinned and `pgUrl` is this machine's PostgreSQL. */
export function pinLocalPostgres(pgUrl: string, pinning: Pinning): PostgresPinning {
  const none = (reason: string) => ({ pinned: false, reason, restore: () => {} });
  const host = new URL(pgUrl).hostname;
  if (!pinning.pinned || pinning.loadCpu === undefined) return none(`cores not pinned (${pinning.reason})`);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return none(`${host} is not this machine`);
  return pinPostgres(pinning.loadCpu);
}

/** Busy and total time of each core so far, from /proc/stat (empty without /proc). */
export function coreTimes(procStat?: string): { busy: number; total: number }[] {
  let text = procStat;
  try {
    text ??= readFileSync('/proc/stat', 'utf8');
  } catch {
    return [];
  }
  const cores: { busy: number; total: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    // user nice system idle iowait irq softirq steal …: idle and iowait are the core doing nothing.
    const f = (m[2] as string).trim().split(/\s+/).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    cores[Number(m[1])] = { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
  }
  return cores;
}

/** Each core's busy share between two `coreTimes` readings (0–1). */
export function coreBusyShares(before: { busy: number; total: number }[], after: { busy: number; total: number }[]): number[] {
  return after.map((a, i) => {
    const b = before[i];
    const total = b ? a.total - b.total : 0;
    return b && total > 0 ? (a.busy - b.busy) / total : 0;
  });
}

export interface Started {
  url: string;
  pid: number;
  /** from spawn to the first 200 from the ready path */
  startupMs: number;
  output: () => string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
/** Ends the children this process started (on any exit path of the bench). */
export function stopAllChildren(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}

export async function startProcess(opts: {
  args: string[];
  env: Record<string, string>;
  readyPath: string;
  cpu?: number;
  timeoutMs: number;
}): Promise<Started> {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), ...opts.env };
  const [cmd, args] =
    opts.cpu !== undefined ? ['taskset', ['-c', String(opts.cpu), process.execPath, ...opts.args]] : [process.execPath, opts.args];
  const started = performance.now();
  // taskset execs the program, so the child's pid is the server's pid.
  const child = spawn(cmd as string, args as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + opts.timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${opts.args.join(' ')} exited ${child.exitCode}:\n${out}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.args.join(' ')} not ready after ${opts.timeoutMs} ms:\n${out}`);
    }
    try {
      const r = await fetch(`${url}${opts.readyPath}`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const startupMs = performance.now() - started;
  return {
    url,
    pid: child.pid as number,
    startupMs,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          children.delete(child);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** VmRSS of a process in MiB, from /proc (undefined where /proc is not there). */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

let clockTicks: number | undefined;

/** User + system CPU seconds a process has used so far, from /proc/<pid>/stat (undefined without /proc). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const v = rssMb(pid);
    if (v !== undefined) peak = Math.max(peak ?? 0, v);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
