import fs from 'node:fs';
import { toAppError } from '../../../shared/errors';
import { writePrivateFile } from '../../fs/private-files';
import type { DockerCli } from '../docker-cli';

/** kind's default Docker network, and the variable kind reads to use another. */
const DEFAULT_NETWORK = 'kind';
const NETWORK_VARIABLE = 'KIND_EXPERIMENTAL_DOCKER_NETWORK';

/** The networks kind created at Slipway's request: name → Docker network id. */
type Ledger = Record<string, string>;

/**
 * The Docker network kind puts its nodes on, and whether Slipway may remove it.
 *
 * `kind delete cluster` never removes the network, so a user who tries Slipway and deletes every
 * cluster is left with a bridge and its iptables rules. Slipway removes it only when the network
 * did not exist before one of its own creates (the id is recorded then, in a 0600 file), the id is
 * still the same (nobody removed and re-made it since), and no container is attached to it any
 * more: a network another tool or cluster uses is never Slipway's to delete.
 */
export class KindNetworks {
  constructor(
    private readonly docker: DockerCli,
    private readonly ledgerFile: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The network kind will use (KIND_EXPERIMENTAL_DOCKER_NETWORK, else `kind`). */
  name(): string {
    return this.env[NETWORK_VARIABLE]?.trim() || DEFAULT_NETWORK;
  }

  /** The network's id, or null when it does not exist. */
  async id(signal?: AbortSignal): Promise<string | null> {
    const result = await this.docker.run(['network', 'inspect', this.name(), '--format', '{{.Id}}'], { allowFailure: true, signal, timeoutMs: 20_000 });
    return result.exitCode === 0 ? result.stdout.trim() || null : null;
  }

  /**
   * After a create: records the network as Slipway's when it did not exist before (`before` is
   * the id read ahead of the create) and exists now.
   */
  async recordIfCreated(before: string | null): Promise<void> {
    if (before) return;
    const now = await this.id();
    if (!now) return;
    writePrivateFile(this.ledgerFile, `${JSON.stringify({ ...this.read(), [this.name()]: now }, null, 2)}\n`);
  }

  /**
   * After a delete: removes the network when Slipway's create made it and nothing is attached to
   * it; returns a line for the log saying what was done, or undefined when there was nothing to do.
   */
  async removeIfUnused(): Promise<string | undefined> {
    const name = this.name();
    const ledger = this.read();
    const recorded = ledger[name];
    if (!recorded) return undefined;
    const inspect = await this.docker.run(['network', 'inspect', name, '--format', '{{.Id}} {{len .Containers}}'], { allowFailure: true, timeoutMs: 20_000 });
    const [id, attached] = inspect.stdout.trim().split(' ');
    if (inspect.exitCode !== 0 || id !== recorded) {
      // Gone, or re-made by someone else: either way no longer ours.
      this.forget(ledger, name);
      return undefined;
    }
    if (Number(attached) > 0) return `The Docker network "${name}" is kept: ${attached} container(s) still use it.`;
    try {
      await this.docker.run(['network', 'rm', name], { timeoutMs: 30_000, label: `docker network rm ${name}` });
    } catch (error) {
      return `Could not remove the Docker network "${name}": ${toAppError(error).message}`;
    }
    this.forget(ledger, name);
    return `Removed the Docker network "${name}" that kind created for Slipway's clusters.`;
  }

  private read(): Ledger {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.ledgerFile, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      // Missing or unreadable: Slipway claims no network, which errs on the side of keeping it.
      return {};
    }
  }

  private forget(ledger: Ledger, name: string): void {
    const { [name]: _dropped, ...rest } = ledger;
    writePrivateFile(this.ledgerFile, `${JSON.stringify(rest, null, 2)}\n`);
  }
}
