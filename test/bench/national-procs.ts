/**
 * The national bench's view of the processes it runs (Linux /proc): CPU seconds and peak memory per
 * group — the bench itself, its mapping helpers, the simulators' process, PostgreSQL (the postmaster
 * and its backends). Sampled once a second; `cpu()` at a phase's start and end gives that phase's
 * CPU per group, to say what limits it. PostgreSQL's memory is summed as PSS (shared buffers counted
 * once across its processes), its largest backend as RSS.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_S = 0.01; // USER_HZ: 100 on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  /** Own CPU (user + system) seconds, and of reaped children. */
  cpu: number;
  childrenCpu: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: fields start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * TICK_S, childrenCpu: (Number(f[13]) + Number(f[14])) * TICK_S };
  } catch {
    return null; // gone meanwhile
  }
}

/** kB of one line of /proc/<pid>/status or smaps_rollup ("VmHWM:   12345 kB"). */
function kb(file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export type Group = 'bench' | 'mapping helpers' | 'simulators' | 'postgres';
export const GROUPS: Group[] = ['bench', 'mapping helpers', 'simulators', 'postgres'];

export interface Peaks {
  /** Peak RSS of the bench process (its own getrusage). */
  benchMb: number;
  /** Largest peak RSS (VmHWM) among the mapping helpers seen. */
  mappingHelperMb: number;
  /** Peak RSS (VmHWM) of the simulators' process, as sampled (its own getrusage is asked at the end too). */
  simulatorsMb: number;
  /** Peak of PostgreSQL's total PSS (postmaster + backends), sampled. */
  postgresPssMb: number;
  /** Largest peak RSS (VmHWM) of one PostgreSQL process. */
  postgresLargestMb: number;
}

export function monitorProcesses(pids: { postmaster: () => number | undefined; simulators: () => number | undefined }) {
  const self = process.pid;
  const peaks: Peaks = { benchMb: 0, mappingHelperMb: 0, simulatorsMb: 0, postgresPssMb: 0, postgresLargestMb: 0 };
  /** CPU of processes seen alive (by group), kept after they exit: their last sample. */
  const lastCpu = new Map<number, { group: Group; cpu: number }>();

  function scan(): Map<number, ProcStat> {
    const all = new Map<number, ProcStat>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = readStat(Number(name));
      if (s) all.set(s.pid, s);
    }
    return all;
  }

  /** The group of each process under the bench. */
  function classify(all: Map<number, ProcStat>): Map<number, Group> {
    const postmaster = pids.postmaster();
    const sim = pids.simulators();
    const out = new Map<number, Group>();
    const groupOf = (pid: number): Group | null => {
      if (out.has(pid)) return out.get(pid)!;
      if (pid === self) return 'bench';
      if (pid === postmaster) return 'postgres';
      if (pid === sim) return 'simulators';
      const s = all.get(pid);
      if (!s || s.ppid <= 1) return null;
      const parent = groupOf(s.ppid);
      // A child of the bench that is neither PostgreSQL nor the simulators: a mapping helper (or npx, briefly).
      return parent === 'bench' ? 'mapping helpers' : parent;
    };
    for (const pid of all.keys()) {
      const g = groupOf(pid);
      if (g) out.set(pid, g);
    }
    return out;
  }

  function sample(): Map<number, ProcStat> {
    const all = scan();
    const groups = classify(all);
    let pss = 0;
    // A backend gone is in the postmaster's reaped-children CPU now: forget its last sample.
    for (const [pid, seen] of lastCpu) if (seen.group === 'postgres' && !groups.has(pid)) lastCpu.delete(pid);
    for (const [pid, group] of groups) {
      const s = all.get(pid)!;
      lastCpu.set(pid, { group, cpu: s.cpu + (group === 'postgres' && pid === pids.postmaster() ? s.childrenCpu : 0) });
      const hwm = kb(`/proc/${pid}/status`, 'VmHWM') / 1024;
      if (group === 'postgres') {
        pss += kb(`/proc/${pid}/smaps_rollup`, 'Pss') / 1024;
        peaks.postgresLargestMb = Math.max(peaks.postgresLargestMb, hwm);
      } else if (group === 'mapping helpers') peaks.mappingHelperMb = Math.max(peaks.mappingHelperMb, hwm);
      else if (group === 'simulators') peaks.simulatorsMb = Math.max(peaks.simulatorsMb, hwm);
    }
    peaks.postgresPssMb = Math.max(peaks.postgresPssMb, pss);
    peaks.benchMb = Math.round(process.resourceUsage().maxRSS / 1024);
    return all;
  }

  const timer = setInterval(sample, 1000);
  timer.unref();

  return {
    peaks: () => {
      sample();
      return Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v)])) as unknown as Peaks;
    },
    /** CPU seconds per group so far (processes that exited count with their last sample; PostgreSQL's backends through the postmaster). */
    cpu(): Record<Group, number> {
      sample();
      const out = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
      for (const { group, cpu } of lastCpu.values()) out[group] += cpu;
      return out;
    },
    stop: () => clearInterval(timer)
  };
}

/** CPU seconds per group between two `cpu()` readings. */
export function cpuBetween(a: Record<Group, number>, b: Record<Group, number>): Record<Group, number> {
  return Object.fromEntries(GROUPS.map((g) => [g, Math.max(0, b[g] - a[g])])) as Record<Group, number>;
}
