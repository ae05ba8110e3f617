/**
 * Metric knobs: the values Slipway's metrics adapter (go/metrics-adapter) serves as custom and
 * external metrics, so the real HPA controller scales on requests per second or queue depth
 * where no Prometheus runs. Plain data and pure parsing; shared by main, the CLI and the renderer.
 *
 * - A per-object knob is the annotation `slipway.dev/metric.NAME` on a pod or any object; a pod
 *   without one takes its controller's (ReplicaSet, then Deployment), so one annotation on a
 *   Deployment sets the Pods metric of all its pods without rolling them.
 * - An external series (`queue_depth{queue=inference}`) lives in the ConfigMap
 *   `slipway-external-metrics` of the namespace, as a JSON list under `series.json`.
 *
 * A value is a number or an expression of `replicas` and `t` (seconds since it was set):
 * `600 / replicas` is a fixed load shared by the replicas; `max(0, 900 - 30 * replicas * t)` is a
 * queue that drains faster as replicas are added.
 */
import { AppError } from '../errors';

export const METRIC_ANNOTATION_PREFIX = 'slipway.dev/metric.';
export const METRIC_SINCE_ANNOTATION_PREFIX = 'slipway.dev/metric-since.';
export const EXTERNAL_SERIES_CONFIGMAP = 'slipway-external-metrics';
export const EXTERNAL_SERIES_KEY = 'series.json';
/** The field manager of knob writes, so they never take fields from the user's own applies. */
export const METRIC_KNOB_FIELD_MANAGER = 'slipway-metrics';

/**
 * Resource loads of simulated pods: the CPU or memory each container of a pod uses, as kwok
 * reports it to metrics-server (see kwok-config). Unlike metric knobs they live in the workload's
 * pod template, so setting one rolls its pods, as a new load pattern would. `slipway metrics set
 * cpu=180% --object deploy/NAME` sets them; a percentage is of the containers' request.
 */
export const RESOURCE_LOAD_ANNOTATIONS = { cpu: 'slipway.dev/cpu-load', memory: 'slipway.dev/memory-load' } as const;
export type LoadResource = keyof typeof RESOURCE_LOAD_ANNOTATIONS;
/** The field manager of resource-load writes (pod template fields, apart from the metric knobs' own). */
export const RESOURCE_LOAD_FIELD_MANAGER = 'slipway-load';

/** `cpu` and `memory` name resource loads, not custom metrics. */
export function loadResourceOf(metric: string): LoadResource | undefined {
  return metric === 'cpu' || metric === 'memory' ? metric : undefined;
}

/** A resource load as written: a share of the request (`180%`) or a quantity per container (`900m`, `512Mi`). */
export type ResourceLoad = { percent: number } | { quantity: string };

export function parseResourceLoad(resource: LoadResource, raw: string): ResourceLoad {
  const value = raw.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (percent) return { percent: Number(percent[1]) };
  const quantity = resource === 'cpu' ? /^(\d+(\.\d+)?|\.\d+)m?$/ : /^(\d+(\.\d+)?|\.\d+)(k|M|G|Ki|Mi|Gi)?$/;
  if (quantity.test(value)) return { quantity: value };
  throw invalid(
    `"${raw}" is not a ${resource} load.`,
    resource === 'cpu' ? 'Write a share of the request (180%) or the CPU each container uses (900m, 1.5).' : 'Write a share of the request (150%) or the memory each container uses (512Mi, 2Gi).',
  );
}

/** One external series as the adapter reads it from the ConfigMap. */
export interface ExternalSeries {
  name: string;
  labels?: Record<string, string>;
  value: string;
  /** Kind.group/NAME (Deployment.apps/inference) of the workload whose replica count is `replicas` in the value. */
  replicasOf?: string;
  /** When it was set (RFC 3339): `t` counts from here. */
  setAt?: string;
}

/** Where a knob is set. */
export type KnobTarget =
  | { type: 'object'; kind: string; group: string; name: string }
  | { type: 'pod'; name: string }
  | { type: 'pods'; selector: string }
  | { type: 'external'; labels: Record<string, string>; replicasOf?: string };

export interface SetKnobRequest {
  context: string;
  namespace: string;
  metric: string;
  /** A number or an expression of replicas and t; empty removes the knob. */
  value: string;
  target: KnobTarget;
}

export interface SetKnobResult {
  /** What was written, as a person reads it: "deployment/inference", "3 pods", "series queue_depth{queue=inference}". */
  wrote: string[];
  message: string;
}

/** A knob as `slipway metrics list` and the load panel show it. */
export interface KnobView {
  metric: string;
  value: string;
  /** `external`, or the object holding the annotation ("Deployment/inference"). */
  on: string;
  namespace: string;
  labels?: Record<string, string>;
  replicasOf?: string;
  setAt?: string;
}

/** Metric names the adapter serves: Prometheus-style, and short enough for an annotation key. */
const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,49}$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const QUANTITY = /^[-+]?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|Ki|Mi|Gi|Ti)$/;
const EXPRESSION_WORDS = new Set(['replicas', 't', 'min', 'max', 'abs', 'ceil', 'floor', 'round']);

const VALUE_EXAMPLES = 'e.g. 120, 2.5, 500m, 600 / replicas, max(0, 900 - 30 * replicas * t)';

function invalid(message: string, fix: string): AppError {
  return new AppError('INVALID_ARGUMENT', message, { fix });
}

export function assertMetricName(name: string): void {
  if (!METRIC_NAME.test(name)) {
    throw invalid(`"${name}" is not a metric name Slipway can serve.`, 'Use letters, digits and _ (not starting with a digit, at most 50), e.g. requests_per_second or queue_depth.');
  }
}

/**
 * Checks a knob value the way the adapter will read it: a number or quantity, or an arithmetic
 * expression of replicas and t with min, max, abs, ceil, floor, round (what the adapter's expr-lang evaluates on decimals). Returns it trimmed.
 */
export function checkKnobValue(raw: string): string {
  const value = raw.trim();
  if (NUMBER.test(value) || QUANTITY.test(value)) return value;
  const bad = () => invalid(`"${raw}" is not a number, nor an expression of replicas and t.`, VALUE_EXAMPLES);
  if (!value || !/^[0-9a-z_+\-*/().,\s]+$/.test(value)) throw bad();
  const words = value.match(/[a-z_][a-z0-9_]*/g) ?? [];
  const unknown = words.find((w) => !EXPRESSION_WORDS.has(w));
  if (unknown) throw invalid(`"${raw}" uses "${unknown}": a knob knows only replicas, t, min, max, abs, ceil, floor and round.`, VALUE_EXAMPLES);
  let depth = 0;
  for (const ch of value) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) throw bad();
  }
  if (depth !== 0 || !/[0-9a-z)]\s*$/.test(value)) throw bad();
  return value;
}

/** Parses `{a=b,c=d}` (the braces already removed). */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1') : '';
    if (!LABEL_NAME.test(key) || !LABEL_VALUE.test(value)) {
      throw invalid(`"${part}" is not a label the HPA can select on.`, 'Write labels as {queue=inference,region=eu}: names of letters, digits and _, values as Kubernetes label values.');
    }
    labels[key] = value;
  }
  return labels;
}

/**
 * Parses `NAME=VALUE` or `NAME{label=value,…}=VALUE` (an external series) as `slipway metrics
 * set` takes it. An empty VALUE removes the knob.
 */
export function parseKnobAssignment(text: string): { metric: string; labels?: Record<string, string>; value: string } {
  const brace = text.indexOf('{');
  const eq = text.indexOf('=');
  let metric: string;
  let labels: Record<string, string> | undefined;
  let rest: string;
  if (brace >= 0 && (eq < 0 || brace < eq)) {
    const close = text.indexOf('}', brace);
    if (close < 0 || text[close + 1] !== '=') throw invalid(`"${text}" is not NAME{labels}=VALUE.`, 'e.g. queue_depth{queue=inference}=120');
    metric = text.slice(0, brace).trim();
    labels = parseLabels(text.slice(brace + 1, close));
    rest = text.slice(close + 2);
  } else {
    if (eq < 0) throw invalid(`"${text}" is not NAME=VALUE.`, 'e.g. requests_per_second=50 or queue_depth{queue=inference}=120');
    metric = text.slice(0, eq).trim();
    rest = text.slice(eq + 1);
  }
  assertMetricName(metric);
  const resource = loadResourceOf(metric);
  if (resource && labels) throw invalid(`${metric} is a resource load: it has no labels.`, `e.g. ${metric}=150% --object deploy/NAME`);
  if (resource && rest.trim() !== '') parseResourceLoad(resource, rest);
  const value = rest.trim() === '' ? '' : resource ? rest.trim() : checkKnobValue(rest);
  return { metric, ...(labels ? { labels } : {}), value };
}

/** `queue_depth{queue=inference}` as a person and a Prometheus user write it. */
export function seriesName(series: Pick<ExternalSeries, 'name' | 'labels'>): string {
  const labels = Object.entries(series.labels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return labels.length > 0 ? `${series.name}{${labels.join(',')}}` : series.name;
}

/** Whether two series are the same series (name and exact labels). */
export function sameSeries(a: Pick<ExternalSeries, 'name' | 'labels'>, b: Pick<ExternalSeries, 'name' | 'labels'>): boolean {
  return seriesName(a) === seriesName(b);
}

/**
 * The series list with one series set (or removed when `value` is empty), keeping the others.
 * Pure, so the read-modify-write of the ConfigMap is one testable step.
 */
export function withSeries(list: readonly ExternalSeries[], next: ExternalSeries): ExternalSeries[] {
  const others = list.filter((s) => !sameSeries(s, next));
  return next.value === '' ? others : [...others, next];
}

/** Reads `series.json` of the ConfigMap; a broken one is an error saying where. */
export function parseSeriesList(text: string | undefined, where: string): ExternalSeries[] {
  if (!text || !text.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_ARGUMENT', `${where} is not JSON: ${(error as Error).message}`, { fix: `Fix or delete it; \`slipway metrics set\` writes it again.` });
  }
  if (!Array.isArray(parsed) || parsed.some((s) => !s || typeof s !== 'object' || typeof (s as ExternalSeries).name !== 'string' || typeof (s as ExternalSeries).value !== 'string')) {
    throw new AppError('INVALID_ARGUMENT', `${where} is not a list of series ({name, labels, value}).`, { fix: `Fix or delete it; \`slipway metrics set\` writes it again.` });
  }
  return parsed as ExternalSeries[];
}
