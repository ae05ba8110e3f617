/** The outcome of one doctor check. `skip` means it does not apply here (e.g. GPU checks without a GPU). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, in one or two sentences (versions, paths, the tool's own words). */
  detail: string;
  /** One line saying what to do; present on every `fail` and `warn`. */
  fix?: string;
}

/** `slipway doctor --json` and the Doctor panel: every check, in a stable order. */
export interface DoctorReport {
  checks: DoctorCheck[];
}

/** The Create Cluster page's checks before anything starts; any `fail` blocks creation. */
export interface PreflightReport {
  checks: DoctorCheck[];
  /** Things to know that are not problems (workers added for GPU groups, k3d GPU sharing). */
  notes: string[];
}
