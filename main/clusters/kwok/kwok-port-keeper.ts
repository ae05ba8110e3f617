import fs from 'node:fs';
import { isPortFree } from '../port-check';
import { moveServerPort } from './kubeconfig-entry';
import { pickFreePorts, PORT_OPTIONS, PORT_OWNERS, readPorts, withMovedPorts, type PortOption } from './kwok-ports';
import type { KwokWorkdir } from './kwok-state';

/** How long a port may take to be released after the component holding it exited. */
const RELEASE_GRACE_MS = 3_000;

/** A port a start moved, said as the user reads it. */
export interface PortMove {
  option: PortOption;
  from: number;
  to: number;
  note: string;
}

/**
 * Owns the host ports of the simulated clusters in one workdir. New clusters get ports no other
 * cluster there keeps (a stopped one keeps its own, so its context stays valid); a stopped
 * cluster whose port another program took meanwhile is moved to a free one before it starts.
 * Callers hold the machine-wide creation lock, so no creation probes ports at the same time.
 */
export class KwokPortKeeper {
  constructor(private readonly state: KwokWorkdir) {}

  /** Host ports for a new cluster, by kwokctl option: free now, and kept by no other cluster. */
  async forNewCluster(name: string, metrics: { metricsServer: boolean; metricsAdapter: boolean }): Promise<Partial<Record<PortOption, number>>> {
    const options = PORT_OPTIONS.filter((o) => (metrics.metricsServer || o !== 'metricsServerPort') && (metrics.metricsAdapter || o !== 'metricsAdapterPort'));
    const picked = await pickFreePorts(options.length, this.reservedPorts(name));
    return Object.fromEntries(options.map((o, i) => [o, picked[i]!]));
  }

  /**
   * Moves every port of a stopped cluster that something now listens on: its kwok.yaml, its own
   * kubeconfig and, for the API server's port, the context in `kubeconfigPath`. Returns the moves.
   */
  async moveTakenPorts(name: string, kubeconfigPath: string): Promise<PortMove[]> {
    const saved = this.state.savedConfig(name);
    const ports = readPorts(saved);
    // A port the cluster itself let go of a moment ago may still be closing: only what stays taken moves.
    const taken = await this.takenAfter(ports, RELEASE_GRACE_MS);
    if (taken.length === 0) return [];
    const fresh = await pickFreePorts(taken.length, new Set([...this.reservedPorts(name), ...Object.values(ports)]));
    const moves = new Map(taken.map((option, i) => [ports[option]!, fresh[i]!]));
    fs.writeFileSync(this.state.configFile(name), withMovedPorts(saved, moves));
    const context = `kwok-${name}`;
    const result: PortMove[] = [];
    for (const option of taken) {
      const from = ports[option]!;
      const to = moves.get(from)!;
      if (option === 'kubeApiserverPort') {
        await moveServerPort(this.state.kubeconfigFile(name), context, from, to);
        await moveServerPort(kubeconfigPath, context, from, to);
      }
      const contextNote = option === 'kubeApiserverPort' ? `; context ${context} now points at https://127.0.0.1:${to}` : '';
      result.push({ option, from, to, note: `Port ${from} (${PORT_OWNERS[option]}) was in use, so the cluster now uses ${to}${contextNote}.` });
    }
    return result;
  }

  /** Host ports every other cluster in the workdir keeps, running or stopped. */
  private reservedPorts(except: string): Set<number> {
    const ports = new Set<number>();
    for (const other of this.state.names()) {
      if (other === except) continue;
      for (const port of Object.values(readPorts(this.state.savedConfig(other)))) ports.add(port);
    }
    return ports;
  }

  /**
   * Waits until the cluster's ports are released after its components exited. A component's
   * main thread can be gone while its other threads still hold the listening socket, so "the
   * processes are gone" is not yet "the ports are free". Returns the options still taken.
   */
  async waitReleased(name: string, timeoutMs = RELEASE_GRACE_MS): Promise<PortOption[]> {
    return this.takenAfter(readPorts(this.state.savedConfig(name)), timeoutMs);
  }

  private async takenAfter(ports: Partial<Record<PortOption, number>>, timeoutMs: number): Promise<PortOption[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const taken: PortOption[] = [];
      for (const option of PORT_OPTIONS) {
        const port = ports[option];
        if (port !== undefined && !(await isPortFree(port))) taken.push(option);
      }
      if (taken.length === 0 || Date.now() >= deadline) return taken;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
